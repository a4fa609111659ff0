// Imports and uploads can take a while: say so, and stop a second press from sending the file twice.
(function () {
  "use strict";
  document.querySelectorAll("form.busy-form").forEach(function (form) {
    form.addEventListener("submit", function () {
      var button = form.querySelector("button[data-busy-label]");
      var status = form.querySelector(".busy-status");
      if (!button) { return; }
      if (status) { status.textContent = button.getAttribute("data-busy-label"); }
      // Disabled after the submit has been dispatched, so the button's value still goes.
      window.setTimeout(function () { button.disabled = true; }, 0);
    });
  });
})();
