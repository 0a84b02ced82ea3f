// Keyboard shortcuts of the assessor's workspace (the panel is swapped by htmx; this stays).
(function () {
  function $(id) { return document.getElementById(id); }
  function showFail() {
    var box = $("fail-box");
    if (!box) return;
    box.hidden = false;
    $("recommendation").focus();
  }
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
    var k = ev.key.toLowerCase();
    var click = function (id) { var el = $(id); if (el) { ev.preventDefault(); el.click(); } };
    if (k === "y" || k === "1") click("btn-pass");
    else if (k === "n" || k === "0") { ev.preventDefault(); showFail(); }
    else if (k === "j" || ev.key === "ArrowRight") click("link-next");
    else if (k === "k" || ev.key === "ArrowLeft") click("link-prev");
    else if (k === "]") click("link-next-agency");
    else if (k === "u") { click("outcome-upheld"); if ($("reason")) $("reason").focus(); }
    else if (k === "c") { click("outcome-changed"); if ($("reason")) $("reason").focus(); }
    else if (k === "o") {
      var link = document.querySelector(".evidence-link");
      if (link) { ev.preventDefault(); window.open(link.href, "_blank", "noopener"); }
    }
  });
})();
