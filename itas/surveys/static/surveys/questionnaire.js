// Progressive enhancement of the questionnaire: the server sends one plain form with every
// question; this turns it into one step per indicator with a progress bar, and keeps every
// answer in localStorage so that a reload or a lost connection loses nothing. The submission
// id stays with the saved answers, so a retried "Send" is stored once by the server.
(function () {
  "use strict";
  var form = document.getElementById("survey");
  if (!form) return;
  var key = form.dataset.storageKey;
  var steps = Array.prototype.slice.call(form.querySelectorAll(".survey-step"));
  var bar = document.getElementById("step-bar");
  var label = document.getElementById("step-label");
  var percent = document.getElementById("step-percent");
  var offline = document.getElementById("offline");
  var current = 0;

  function load() {
    try { return JSON.parse(localStorage.getItem(key)) || null; } catch (e) { return null; }
  }
  function save() {
    var answers = {};
    Array.prototype.forEach.call(form.querySelectorAll("input[type=radio]:checked"), function (r) {
      answers[r.name] = r.value;
    });
    var state = {
      submission_id: form.elements.submission_id.value,
      started: form.elements.started.value,
      answers: answers,
      step: current,
      saved: Date.now()
    };
    try { localStorage.setItem(key, JSON.stringify(state)); } catch (e) { /* full or private */ }
  }

  function groups(step) {
    var names = {};
    Array.prototype.forEach.call(step.querySelectorAll("input[type=radio]"), function (r) {
      names[r.name] = true;
    });
    return Object.keys(names);
  }
  function answered(name) {
    return !!form.querySelector('input[name="' + CSS.escape(name) + '"]:checked');
  }
  // A question's error is tied to its radio groups (aria-invalid, aria-describedby) so a screen
  // reader says it where the person is, not only in red.
  function mark(q, ok) {
    q.classList.toggle("is-invalid", !ok);
    var server = q.querySelector(".question-error:not(.js-missing)");
    var msg = q.querySelector(".js-missing");
    if (msg) msg.classList.toggle("d-none", ok || !!server);
    var described = ok ? null : (server && !server.classList.contains("d-none") ? server.id : msg && msg.id);
    Array.prototype.forEach.call(q.querySelectorAll("[role=radiogroup]"), function (g) {
      if (ok) { g.removeAttribute("aria-invalid"); g.removeAttribute("aria-describedby"); }
      else { g.setAttribute("aria-invalid", "true"); if (described) g.setAttribute("aria-describedby", described); }
    });
  }
  function checkStep(step) {
    var first = null;
    Array.prototype.forEach.call(step.querySelectorAll(".question"), function (q) {
      var ok = groups(q).every(answered);
      mark(q, ok);
      if (!ok && !first) first = q;
    });
    return first;
  }
  // Focus goes where the eye goes: to the first unanswered choice, or to the new part's title.
  function focusQuestion(q) {
    var target = q.querySelector("input[type=radio]:checked") || q.querySelector("input[type=radio]");
    q.scrollIntoView({ block: "center" });
    if (target) target.focus({ preventScroll: true });
  }

  function show(index, scroll) {
    current = Math.max(0, Math.min(index, steps.length - 1));
    steps.forEach(function (s, i) { s.classList.toggle("active", i === current); });
    var pct = Math.round(((current + 1) / steps.length) * 100);
    if (bar) { bar.style.width = pct + "%"; bar.parentNode.setAttribute("aria-valuenow", pct); }
    if (label) label.textContent = form.dataset.msgStep + " " + (current + 1) + " " + form.dataset.msgOf + " " + steps.length;
    if (percent) percent.textContent = pct + "%";
    if (scroll) {
      window.scrollTo({ top: 0, behavior: "auto" });
      var title = steps[current].querySelector(".step-title");
      if (title) title.focus({ preventScroll: true });
    }
    save();
  }

  // Restore what this phone kept (unless the server just sent the form back with errors,
  // in which case the server's copy is the fresher one).
  var state = load();
  var serverErrors = !!document.getElementById("form-errors");
  if (state && state.answers && !serverErrors) {
    var restored = 0;
    Object.keys(state.answers).forEach(function (name) {
      var input = form.querySelector('input[name="' + CSS.escape(name) + '"][value="' + CSS.escape(state.answers[name]) + '"]');
      if (input) { input.checked = true; restored++; }
    });
    if (state.submission_id) form.elements.submission_id.value = state.submission_id;
    if (state.started) form.elements.started.value = state.started;
    if (restored) {
      var note = document.getElementById("restored");
      note.textContent = form.dataset.msgRestored;
      note.classList.remove("d-none");
    }
  } else if (state && state.submission_id && serverErrors) {
    form.elements.submission_id.value = state.submission_id;
  }

  var start = 0;
  if (serverErrors) {
    steps.some(function (s, i) { if (s.classList.contains("has-error")) { start = i; return true; } return false; });
  } else if (state && typeof state.step === "number") {
    start = state.step;
  }
  show(start, false);
  if (serverErrors) document.getElementById("form-errors").focus();
  // The summary's links open the part the question is on before jumping to it.
  Array.prototype.forEach.call(document.querySelectorAll(".error-link"), function (a) {
    a.addEventListener("click", function (e) {
      var q = document.querySelector(a.getAttribute("href"));
      if (!q) return;
      e.preventDefault();
      show(parseInt(a.dataset.step, 10), false);
      focusQuestion(q);
    });
  });

  form.addEventListener("change", function (e) {
    if (e.target && e.target.type === "radio") {
      var q = e.target.closest(".question");
      if (q && q.classList.contains("is-invalid") && groups(q).every(answered)) {
        Array.prototype.forEach.call(q.querySelectorAll(".question-error"), function (m) { m.classList.add("d-none"); });
        mark(q, true);
      }
      save();
    }
  });

  form.addEventListener("click", function (e) {
    var t = e.target;
    if (t.classList.contains("step-next")) {
      var missing = checkStep(steps[current]);
      if (missing) { focusQuestion(missing); return; }
      show(current + 1, true);
    } else if (t.classList.contains("step-back")) {
      show(current - 1, true);
    }
  });

  form.addEventListener("submit", function (e) {
    for (var i = 0; i < steps.length; i++) {
      var missing = checkStep(steps[i]);
      if (missing) {
        e.preventDefault();
        show(i, false);
        focusQuestion(missing);
        return;
      }
    }
    save();
    if (navigator.onLine === false) {
      e.preventDefault();
      offline.textContent = form.dataset.msgOffline;
      offline.classList.remove("d-none");
      offline.scrollIntoView({ block: "center" });
      return;
    }
    offline.classList.add("d-none");
    Array.prototype.forEach.call(form.querySelectorAll("button[type=submit]"), function (b) {
      b.disabled = true;
    });
  });

  // The back/forward cache may restore a disabled button; enable it again.
  window.addEventListener("pageshow", function () {
    Array.prototype.forEach.call(form.querySelectorAll("button[type=submit]"), function (b) {
      b.disabled = false;
    });
  });
})();
