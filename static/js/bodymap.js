// Body map: tapping a part of the figure ticks (or unticks) its region's
// checkbox. Progressive enhancement only: the checkboxes are the real,
// labelled controls and work without this file, by keyboard and screen reader.
"use strict";
if (!window.fibrotrackBodymap) {
  window.fibrotrackBodymap = true;
  document.addEventListener("click", (event) => {
    const part = event.target.closest ? event.target.closest(".bodymap-figure [data-region]") : null;
    if (!part) return;
    const map = part.closest(".bodymap");
    const box = map && map.querySelector(`input[type=checkbox][value="${part.dataset.region}"]`);
    if (!box) return;
    box.checked = !box.checked;
    box.dispatchEvent(new Event("change", { bubbles: true }));
  });
}
