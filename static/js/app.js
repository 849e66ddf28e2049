// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";

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
})();
