// The failure page of a respondent's page: count down, then send the same form again (the same
// fields, so the same submission id). The server doubles the pause on each attempt and stops
// the automatic resending after a few; the button always works.
(function () {
  "use strict";
  var form = document.getElementById("resend-form");
  if (!form || form.getAttribute("data-give-up") === "1") return;
  var left = parseInt(form.getAttribute("data-pause"), 10) || 5;
  var out = document.getElementById("resend-seconds");
  function tick() {
    if (left <= 0) {
      if (navigator.onLine === false) {
        window.addEventListener("online", function () { form.submit(); }, { once: true });
        return;
      }
      form.submit();
      return;
    }
    if (out) out.textContent = String(left);
    left -= 1;
    window.setTimeout(tick, 1000);
  }
  tick();
})();
