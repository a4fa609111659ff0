// Progressive enhancement for writing posts and messages: a live character
// count next to the text box. Every form works without this file.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // Django's catalogue (/jsi18n/, loaded by base.html); English if it could not load (offline).
  const t = window.django || {
    ngettext: (one, many, n) => (n === 1 ? one : many),
    interpolate: (text, values) => text.replace(/%\((\w+)\)s/g, (_, name) => values[name]),
  };
  for (const box of document.querySelectorAll("textarea[data-maxlength]")) {
    const limit = Number(box.getAttribute("data-maxlength"));
    const counter = document.querySelector(`[data-counter-for="${box.id}"]`);
    if (!counter || !limit) continue;
    let timer = null;
    const update = () => {
      const left = limit - box.value.length;
      const count = Math.abs(left);
      const text = left >= 0
        ? t.ngettext("%(count)s character left.", "%(count)s characters left.", count)
        : t.ngettext("%(count)s character too many.", "%(count)s characters too many.", count);
      counter.textContent = t.interpolate(text, { count: count.toLocaleString(document.documentElement.lang || undefined) }, true);
      counter.classList.toggle("over", left < 0);
    };
    // Announce at a calm pace, not on every key press.
    box.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(update, 600); });
    update();
  }
});
