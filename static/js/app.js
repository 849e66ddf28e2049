// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";

  // Marks that scripts run, so controls only needed without them can hide.
  document.documentElement.classList.add("js");

  // Close open menus on Escape or a click outside them.
  document.addEventListener("click", function (ev) {
    document.querySelectorAll("details.usermenu[open]").forEach(function (d) {
      if (!d.contains(ev.target)) d.removeAttribute("open");
    });
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key !== "Escape") return;
    document.querySelectorAll("details.usermenu[open]").forEach(function (d) {
      d.removeAttribute("open");
      d.querySelector("summary").focus();
    });
  });

  // Confirmation dialogs: a form with data-confirm="ID" opens dialog#ID
  // instead of going to its confirmation page.
  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    var id = form.getAttribute && form.getAttribute("data-confirm");
    if (!id) return;
    var dialog = document.getElementById(id);
    if (!dialog || typeof dialog.showModal !== "function") return;
    ev.preventDefault();
    dialog.returnFocus = form.querySelector("button");
    dialog.showModal();
  });
  document.addEventListener("click", function (ev) {
    var btn = ev.target.closest && ev.target.closest("[data-close-dialog]");
    if (!btn) return;
    var dialog = btn.closest("dialog");
    if (dialog) dialog.close();
  });
  document.addEventListener("close", function (ev) {
    var d = ev.target;
    if (d.tagName === "DIALOG" && d.returnFocus && d.returnFocus.isConnected) d.returnFocus.focus();
  }, true);
  // The dialog's form is sent: close it so the row can leave with it.
  document.addEventListener("htmx:beforeRequest", function (ev) {
    var dialog = ev.target.closest && ev.target.closest("dialog[open]");
    if (dialog) dialog.close();
  });

  // A refused change keeps the page as it was (the message shows in the
  // flash area), so the pickers of its form go back to what the page shows.
  document.addEventListener("htmx:afterRequest", function (ev) {
    var xhr = ev.detail && ev.detail.xhr;
    var el = ev.detail && ev.detail.elt;
    if (!xhr || xhr.status < 400 || !el || !el.querySelectorAll) return;
    el.querySelectorAll("select").forEach(function (sel) {
      Array.prototype.forEach.call(sel.options, function (o) { o.selected = o.defaultSelected; });
    });
  });

  // The role picker asks before making someone an Owner (the form's
  // data-confirm-owner names what it gives); a refusal puts it back.
  document.addEventListener("htmx:configRequest", function (ev) {
    var form = ev.detail && ev.detail.elt;
    var msg = form && form.getAttribute && form.getAttribute("data-confirm-owner");
    var sel = msg && form.querySelector('select[name="role"]');
    if (!sel || sel.value !== "owner") return;
    if (window.confirm(msg)) {
      ev.detail.parameters.set ? ev.detail.parameters.set("confirm", "1") : (ev.detail.parameters.confirm = "1");
      return;
    }
    ev.preventDefault();
    Array.prototype.forEach.call(sel.options, function (o) { o.selected = o.defaultSelected; });
  });

  // A checkbox with data-select-all="NAME" ticks or clears every NAME
  // checkbox of its form (the queue's "select all on this page").
  document.addEventListener("change", function (ev) {
    var all = ev.target;
    var name = all.getAttribute && all.getAttribute("data-select-all");
    if (!name || !all.form) return;
    all.form.querySelectorAll('input[type="checkbox"][name="' + name + '"]').forEach(function (box) {
      box.checked = all.checked;
    });
  });

  // Ctrl+Enter (Cmd+Enter on a Mac) sends a form marked data-send-shortcut
  // with its [data-send] button; with Shift, with its [data-send-next]
  // button (the ticket editor's Send and next).
  document.addEventListener("keydown", function (ev) {
    if (ev.key !== "Enter" || !(ev.ctrlKey || ev.metaKey) || ev.altKey || ev.isComposing) return;
    var form = ev.target.form;
    if (!form || !form.hasAttribute("data-send-shortcut")) return;
    var btn = form.querySelector(ev.shiftKey ? "[data-send-next]" : "[data-send]");
    if (!btn) return;
    ev.preventDefault();
    if (ev.repeat) return; // a held key sends once
    if (typeof form.requestSubmit === "function") form.requestSubmit(btn);
    else btn.click();
  });

  // One-time links select themselves so they are easy to copy.
  document.addEventListener("focusin", function (ev) {
    if (ev.target.hasAttribute && ev.target.hasAttribute("data-select-on-focus")) ev.target.select();
  });
})();
