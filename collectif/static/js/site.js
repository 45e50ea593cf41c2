// The main menu's button on small screens, where CSS keeps the menu closed from the first
// paint. Without JavaScript the button is a link to #menu-principal, which CSS opens
// (:target), so navigation never depends on this file.
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

  setOpen(false);
  toggle.addEventListener("click", function (event) {
    event.preventDefault();
    setOpen(toggle.getAttribute("aria-expanded") !== "true");
  });
  toggle.addEventListener("keydown", function (event) {
    if (event.key === " ") {
      event.preventDefault();
      toggle.click();
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && narrow.matches && toggle.getAttribute("aria-expanded") === "true") {
      setOpen(false);
      toggle.focus();
    }
  });
})();

// Live character counters for the answers of a party: the server enforces the same limit.
(function () {
  "use strict";
  document.querySelectorAll("[data-char-count]").forEach(function (field) {
    var max = parseInt(field.getAttribute("data-max-length"), 10);
    var output = document.querySelector('[data-char-count-for="' + field.id + '"]');
    if (!max || !output) return;
    function update() {
      var left = max - field.value.length;
      output.textContent = left >= 0
        ? left + " caractère" + (left > 1 ? "s" : "") + " restant" + (left > 1 ? "s" : "") + " sur " + max
        : -left + " caractère" + (-left > 1 ? "s" : "") + " de trop (maximum " + max + ")";
      output.classList.toggle("is-over", left < 0);
    }
    field.addEventListener("input", update);
    update();
  });

  // A form returned with errors takes the focus to its summary.
  var summary = document.querySelector("[data-focus-on-load]");
  if (summary) summary.focus();

})();

// A print button where a page offers one (a party's record of its answers).
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
