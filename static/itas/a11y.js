// Keyboard access to what only a mouse or a finger could reach (WCAG 2.1.1):
// a table wider than a 360 px screen scrolls sideways inside .table-responsive, and a keyboard
// can scroll it only if the scrolling box itself can take focus. Only boxes that really scroll
// become Tab stops, named after their table's caption or the heading before them.
(function () {
  "use strict";
  function label(box) {
    var caption = box.querySelector("caption");
    if (caption && caption.textContent.trim()) return caption.textContent.trim();
    var el = box.previousElementSibling;
    while (el && !/^H[1-6]$/.test(el.tagName)) el = el.previousElementSibling;
    return el ? el.textContent.trim() : document.title;
  }
  function update() {
    document.querySelectorAll(".table-responsive, .scroll-x").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        if (!box.hasAttribute("tabindex")) {
          box.setAttribute("tabindex", "0");
          box.setAttribute("role", "region");
          if (!box.hasAttribute("aria-label")) box.setAttribute("aria-label", label(box));
          box.dataset.scrollFocus = "1";
        }
      } else if (box.dataset.scrollFocus) {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        delete box.dataset.scrollFocus;
      }
    });
  }
  document.addEventListener("DOMContentLoaded", update);
  window.addEventListener("resize", update);
  document.addEventListener("htmx:afterSettle", update);
})();
