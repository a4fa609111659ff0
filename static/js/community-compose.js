// Progressive enhancement for writing posts and messages: a live character
// count next to the text box. Every form works without this file.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const box of document.querySelectorAll("textarea[data-maxlength]")) {
    const limit = Number(box.getAttribute("data-maxlength"));
    const counter = document.querySelector(`[data-counter-for="${box.id}"]`);
    if (!counter || !limit) continue;
    let timer = null;
    const update = () => {
      const left = limit - box.value.length;
      counter.textContent = left >= 0
        ? `${left.toLocaleString()} characters left.`
        : `${(-left).toLocaleString()} characters too many.`;
      counter.classList.toggle("over", left < 0);
    };
    // Announce at a calm pace, not on every key press.
    box.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(update, 600); });
    update();
  }
});
