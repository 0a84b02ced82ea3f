// What the templates once did with onclick= / onchange= attributes, which the
// Content-Security-Policy forbids (no inline script): data-* attributes, handled here by
// listeners on the document, so markup that htmx swaps in later behaves the same.
//   data-print             a button that prints the page
//   data-confirm="text"    a button or link that asks first; "Cancel" stops it
//   data-autosubmit        a <select> that submits its form when it changes
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var el = event.target.closest && event.target.closest("[data-print], [data-confirm]");
    if (!el) return;
    if (el.hasAttribute("data-print")) {
      event.preventDefault();
      window.print();
    } else if (!window.confirm(el.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  });
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.hasAttribute && el.hasAttribute("data-autosubmit") && el.form) el.form.submit();
  });
})();
