// "Copy the link": shown only when the clipboard is available; the field can always be selected by hand.
"use strict";
{
  // Django's catalogue (/jsi18n/, loaded by base.html); English if it could not load.
  const t = window.django || { gettext: (text) => text };
  for (const button of document.querySelectorAll("[data-copy]")) {
    const field = document.getElementById(button.dataset.copy);
    const status = document.querySelector(".copy-status");
    if (!field || !navigator.clipboard) continue;
    button.hidden = false;
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(field.value);
        if (status) status.textContent = t.gettext("Copied.");
      } catch {
        field.select();
        if (status) status.textContent = t.gettext("Select the link and copy it.");
      }
    });
  }
}
