// "Copy the token": shown only when the clipboard is available; the field can always be selected by hand.
"use strict";
for (const button of document.querySelectorAll("[data-copy]")) {
  const field = document.getElementById(button.dataset.copy);
  const status = document.querySelector(".copy-status");
  if (!field || !navigator.clipboard) continue;
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(field.value);
      if (status) status.textContent = button.dataset.copied;
    } catch {
      field.select();
      if (status) status.textContent = button.dataset.select;
    }
  });
}
