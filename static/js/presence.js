// Collision detection on the ticket page: tells the presence poll whether
// this agent is writing a reply, and says goodbye when the page closes so
// the others stop seeing them at once (else their presence runs out).
(function () {
  "use strict";

  function flag() {
    return document.querySelector("#presence [data-replying]");
  }

  // Writing a reply: the editor's Reply tab chosen and text in it.
  function update(form) {
    var f = flag();
    if (!f || !form || !form.hasAttribute("data-send-shortcut")) return;
    var body = form.querySelector("textarea[name=body]");
    var kind = form.querySelector("input[name=kind]:checked");
    var replying = body && body.value.trim() !== "" && (!kind || kind.value === "reply");
    f.value = replying ? "1" : "0";
  }
  document.addEventListener("input", function (ev) { update(ev.target.form); });
  document.addEventListener("change", function (ev) { update(ev.target.form); });

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRF-Token"] || "";
    } catch (e) {
      return "";
    }
  }

  window.addEventListener("pagehide", function () {
    var bar = document.getElementById("presence");
    if (!bar || !navigator.sendBeacon) return;
    var data = new FormData();
    data.append("_csrf", csrfToken());
    navigator.sendBeacon(bar.getAttribute("data-leave"), data);
  });
})();
