// Keyboard shortcuts on the queue and the ticket page: j and k move, Enter
// opens, r replies, n writes a note, ? lists them. A key typed into a text
// field, or with Ctrl, Alt or Cmd, is the field's or the browser's: never
// taken here.
(function () {
  "use strict";

  function typing(el) {
    if (!el || !el.tagName) return false;
    var tag = el.tagName.toLowerCase();
    return tag === "input" || tag === "textarea" || tag === "select" || el.isContentEditable;
  }

  // The things j and k move between: queue rows, else thread entries.
  function items() {
    var rows = document.querySelectorAll("#queue tr.queue-row");
    if (rows.length) return Array.prototype.slice.call(rows);
    return Array.prototype.slice.call(document.querySelectorAll("#thread > li"));
  }

  function target(item) {
    return item.querySelector(".queue-subject a") || item;
  }

  function move(step) {
    var list = items();
    if (!list.length) return;
    var at = list.findIndex(function (el) { return el.classList.contains("kb-current"); });
    var next = at < 0 ? (step > 0 ? 0 : list.length - 1) : Math.min(list.length - 1, Math.max(0, at + step));
    if (at >= 0) list[at].classList.remove("kb-current");
    var el = list[next];
    el.classList.add("kb-current");
    var t = target(el);
    if (t === el && !el.hasAttribute("tabindex")) el.setAttribute("tabindex", "-1");
    t.focus();
    el.scrollIntoView({ block: "nearest" });
  }

  function open() {
    var cur = document.querySelector("#queue tr.queue-row.kb-current .queue-subject a");
    if (cur && document.activeElement !== cur) window.location.href = cur.href;
  }

  function editor(kind) {
    var radio = document.querySelector('#reply input[name="kind"][value="' + kind + '"]');
    var body = document.querySelector("#reply textarea[name=body]");
    if (!body) return false;
    if (radio) {
      radio.checked = true;
      radio.dispatchEvent(new Event("change", { bubbles: true }));
    }
    body.focus();
    return true;
  }

  function help() {
    var d = document.getElementById("keys-help");
    if (!d || typeof d.showModal !== "function") return;
    if (d.open) d.close();
    else d.showModal();
  }

  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey || ev.isComposing || ev.defaultPrevented) return;
    if (typing(ev.target)) return;
    if (document.querySelector("dialog[open]:not(#keys-help)")) return;
    var done = true;
    switch (ev.key) {
      case "j": move(1); break;
      case "k": move(-1); break;
      case "Enter": open(); done = false; break;
      case "r": done = editor("reply"); break;
      case "n": done = editor("note"); break;
      case "?": help(); break;
      default: done = false;
    }
    if (!done) return;
    ev.preventDefault();
    // r and n moved the focus into the editor while their key was down:
    // the character that key makes must not land there.
    swallow = ev.key;
  });

  var swallow = null;
  document.addEventListener("keypress", function (ev) {
    if (swallow !== null && ev.key === swallow) ev.preventDefault();
    swallow = null;
  }, true);
  document.addEventListener("keyup", function () { swallow = null; }, true);
})();
