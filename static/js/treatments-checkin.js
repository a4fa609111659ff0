// Check-in treatments section: progressive enhancement only. Without this
// file every field is visible and the server explains what is missing.
"use strict";
(() => {
  if (window.fibroTreatmentsCheckin) return;
  window.fibroTreatmentsCheckin = true;

  const doseAmountVisible = (fieldset) => {
    const picked = fieldset.querySelector("input[type=radio]:checked");
    const value = picked ? picked.value : "";
    if (fieldset.hasAttribute("data-as-needed")) return value === "taken";
    return value === "different";
  };

  const syncDose = (fieldset, focus) => {
    const box = fieldset.querySelector("[data-amount]");
    if (!box) return;
    const input = box.querySelector("input");
    const show = doseAmountVisible(fieldset) || (input && input.value !== "") || box.classList.contains("has-error");
    box.hidden = !show;
    if (show && focus && input && !fieldset.hasAttribute("data-as-needed")) input.focus();
  };

  // An opioid dose marked as taken is itself a "yes" to the naltrexone question.
  const opioidDoseTaken = () =>
    Array.from(document.querySelectorAll("[data-opioid-dose] input[type=radio]:checked")).some(
      (input) => input.value === "taken" || input.value === "different",
    );

  const syncOpioid = (fromDose) => {
    const question = document.querySelector("[data-opioid-question]");
    const warning = document.querySelector("[data-opioid-warning]");
    if (!question || !warning) return;
    const dose = opioidDoseTaken();
    if (dose && fromDose) {
      const yes = question.querySelector("input[type=radio][value=yes]");
      if (yes) yes.checked = true;
    }
    const picked = question.querySelector("input[type=radio]:checked");
    warning.hidden = !(dose || (picked && picked.value === "yes"));
    const note = warning.querySelector("[data-opioid-dose-note]");
    if (note) note.hidden = !dose;
  };

  const syncSerious = () => {
    const warning = document.querySelector("[data-serious-warning]");
    if (!warning) return;
    const picked = Array.from(document.querySelectorAll("[data-serious] input[type=radio]:checked"));
    warning.hidden = !picked.some((input) => input.value !== "none");
  };

  // "All doses taken": one tap answers "Taken" for every dose due at a set time
  // (not the as-needed ones); the check-in's Save records them with the rest.
  const markAllTaken = () => {
    let count = 0;
    for (const fieldset of document.querySelectorAll("[data-dose]:not([data-as-needed])")) {
      const taken = fieldset.querySelector("input[type=radio][value=taken]");
      if (!taken) continue;
      taken.checked = true;
      syncDose(fieldset, false);
      count += 1;
    }
    syncOpioid(true);
    const status = document.querySelector("[data-all-taken-status]");
    if (status && count) status.textContent = status.dataset.message;
  };

  const start = () => {
    for (const button of document.querySelectorAll("[data-all-taken]")) {
      button.hidden = false;
      button.addEventListener("click", markAllTaken);
    }
    for (const fieldset of document.querySelectorAll("[data-dose]")) syncDose(fieldset, false);
    syncOpioid(false);
    syncSerious();
    document.addEventListener("change", (event) => {
      const target = event.target;
      if (!(target instanceof HTMLInputElement) || target.type !== "radio") return;
      const dose = target.closest("[data-dose]");
      if (dose) syncDose(dose, target.value === "different");
      if (target.closest("[data-opioid-question]")) syncOpioid(false);
      if (target.closest("[data-opioid-dose]")) syncOpioid(true);
      if (target.closest("[data-serious]")) syncSerious();
    });
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
