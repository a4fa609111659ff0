// Add-a-treatment form: show only the schedule details and plan steps that
// apply, and suggest the treatment's usual unit. Progressive enhancement only.
"use strict";
(() => {
  const form = document.querySelector("[data-regimen-form]");
  if (!form) return;
  const unitsData = document.getElementById("treatment-units");
  const units = unitsData ? JSON.parse(unitsData.textContent) : {};

  const checked = (name) => {
    const input = form.querySelector(`input[name="${name}"]:checked`);
    return input ? input.value : "";
  };

  const sync = () => {
    const schedule = checked("schedule");
    for (const el of form.querySelectorAll("[data-show-for]")) {
      el.hidden = el.getAttribute("data-show-for") !== schedule && !el.querySelector(".error");
    }
    const plan = checked("plan");
    for (const el of form.querySelectorAll("[data-show-for-plan]")) {
      el.hidden = el.getAttribute("data-show-for-plan") !== plan && !el.querySelector(".error");
    }
  };

  form.addEventListener("change", (event) => {
    const target = event.target;
    if (target.name === "treatment" && units[target.value]) {
      const unit = form.querySelector("select[name=unit]");
      if (unit && units[target.value].length) unit.value = units[target.value][0];
    }
    sync();
  });
  sync();
})();
