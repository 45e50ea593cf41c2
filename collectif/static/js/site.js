// Collapses the main menu behind a button on small screens. Without JavaScript the
// menu simply stays open, so navigation never depends on this file.
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("has-js");
  var toggle = document.querySelector("[data-menu-toggle]");
  var menu = document.querySelector("[data-menu]");
  if (!toggle || !menu) return;
  var narrow = window.matchMedia("(max-width: 47.99rem)");

  function setOpen(open) {
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    menu.setAttribute("data-collapsed", open ? "false" : "true");
  }

  toggle.hidden = false;
  setOpen(false);
  toggle.addEventListener("click", function () {
    setOpen(toggle.getAttribute("aria-expanded") !== "true");
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && narrow.matches && toggle.getAttribute("aria-expanded") === "true") {
      setOpen(false);
      toggle.focus();
    }
  });
})();
