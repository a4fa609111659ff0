// The report's Print button: shown only when this script runs (the browser's own Print works anyway).
"use strict";
for (const button of document.querySelectorAll("[data-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
