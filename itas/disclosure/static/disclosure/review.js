// Keyboard shortcuts of the assessor's workspace (the panel is swapped by htmx; this stays).
//
// WCAG 2.1.4: one-key shortcuts act only while the focus is in the review panel (or on nothing
// at all, right after the page opens), never while it is on the list of items, where a "Y" once
// recorded มี for the item on screen instead of the one the focus was on. They can be switched
// off; the choice is kept on this computer. Shortcuts with Ctrl or Alt always work.
(function () {
  var STORE = "itas:review:shortcuts";
  function $(id) { return document.getElementById(id); }
  function enabled() {
    try { return localStorage.getItem(STORE) !== "off"; } catch (e) { return true; }
  }
  function inWorkspace(el) {
    if (!el || el === document.body || el.id === "main") return true;
    var panel = $("panel");
    return !!(panel && panel.contains(el));
  }
  function showFail() {
    var box = $("fail-box");
    if (!box) return;
    box.hidden = false;
    $("recommendation").focus();
  }
  var toggle = $("shortcuts-on");
  if (toggle) {
    toggle.checked = enabled();
    toggle.addEventListener("change", function () {
      try { localStorage.setItem(STORE, toggle.checked ? "on" : "off"); } catch (e) { /* private mode */ }
    });
  }
  // After a swap the focus would drop to <body>: put it on the item's title, and say what was
  // saved in the one live region (the workspace itself is not live: it would read it all).
  document.addEventListener("htmx:afterSettle", function (ev) {
    if (!ev.detail || !ev.detail.target || ev.detail.target.id !== "workspace") return;
    var status = $("review-status");
    var said = ev.detail.target.querySelector("[role=status], [role=alert]");
    if (status) status.textContent = said ? said.textContent.trim() : "";
    var error = $("review-error");
    var title = $("panel-title");
    if (error && $("recommendation")) $("recommendation").focus();
    else if (title) title.focus();
  });
  document.addEventListener("click", function (ev) {
    var t = ev.target.closest("#btn-fail");
    if (t) { ev.preventDefault(); showFail(); return; }
    var q = ev.target.closest(".quick-reason");
    if (q) {
      var area = $("recommendation");
      var text = q.dataset.text;
      area.value = area.value ? area.value.replace(/\s*$/, "\n") + text : text;
      area.focus();
    }
  });
  document.addEventListener("keydown", function (ev) {
    var tag = (ev.target.tagName || "").toLowerCase();
    var typing = tag === "textarea" || tag === "input" || tag === "select";
    if ((ev.ctrlKey || ev.metaKey) && ev.key === "Enter") {
      var save = $("btn-fail-save") && !$("fail-box").hidden ? $("btn-fail-save") : $("btn-save");
      if (save) { ev.preventDefault(); save.click(); }
      return;
    }
    if (ev.altKey && /^[1-9]$/.test(ev.key)) {
      var chips = document.querySelectorAll(".quick-reason");
      var chip = chips[parseInt(ev.key, 10) - 1];
      if (chip) { ev.preventDefault(); showFail(); chip.click(); }
      return;
    }
    if (ev.key === "Escape" && typing) { ev.target.blur(); return; }
    if (typing || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    if (!enabled() || !inWorkspace(document.activeElement)) return;
    var k = ev.key.toLowerCase();
    var click = function (id) { var el = $(id); if (el) { ev.preventDefault(); el.click(); } };
    if (k === "y") click("btn-pass");
    else if (k === "n") { if ($("fail-box")) { ev.preventDefault(); showFail(); } }
    else if (k === "j") click("link-next");
    else if (k === "k") click("link-prev");
    else if (k === "]") click("link-next-agency");
    else if (k === "u") { click("outcome-upheld"); if ($("reason")) $("reason").focus(); }
    else if (k === "c") { click("outcome-changed"); if ($("reason")) $("reason").focus(); }
    else if (k === "o") {
      var link = document.querySelector(".evidence-link");
      if (link) { ev.preventDefault(); window.open(link.href, "_blank", "noopener"); }
    }
  });
})();
