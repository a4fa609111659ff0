// Plan a trial: show the randomized-pairs options only when that design is chosen.
(function () {
  "use strict";
  var box = document.querySelector("[data-show-for-template]");
  if (!box) { return; }
  var radios = document.querySelectorAll("input[name=template]");
  function update() {
    var chosen = document.querySelector("input[name=template]:checked");
    box.hidden = !chosen || chosen.value !== box.getAttribute("data-show-for-template");
  }
  radios.forEach(function (r) { r.addEventListener("change", update); });
  update();
})();
