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

// Character counters for the answers of a party: the server enforces the same limit. Each
// counter describes its field (aria-describedby), so a screen reader reads it on focus; it is
// no live region. Only approaching the limit, going over it and coming back under it are
// announced, in one polite region for the page.
(function () {
  "use strict";
  var live = null;

  function announce(text) {
    if (!live) {
      live = document.createElement("p");
      live.className = "visually-hidden";
      live.setAttribute("aria-live", "polite");
      live.setAttribute("data-char-count-live", "");
      document.body.appendChild(live);
    }
    live.textContent = text;
  }

  function plural(n, word) {
    return n + " " + word + (n > 1 ? "s" : "");
  }

  document.querySelectorAll("[data-char-count]").forEach(function (field) {
    var max = parseInt(field.getAttribute("data-max-length"), 10);
    var output = document.querySelector('[data-char-count-for="' + field.id + '"]');
    if (!max || !output) return;
    // Near: the last tenth of the limit, at least 20 characters.
    var near = Math.max(20, Math.floor(max / 10));
    var state = null;
    function text(left) {
      return left >= 0
        ? plural(left, "caractère") + " restant" + (left > 1 ? "s" : "") + " sur " + max
        : plural(-left, "caractère") + " de trop (maximum " + max + ")";
    }
    function update() {
      var left = max - field.value.length;
      var now = left < 0 ? "over" : left <= near ? "near" : "ok";
      output.textContent = text(left);
      output.classList.toggle("is-over", left < 0);
      if (state !== null && now !== state && (now !== "ok" || state === "over")) {
        announce(text(left));
      }
      state = now;
    }
    field.addEventListener("input", update);
    update();
  });

  // A form returned with errors takes the focus to its summary; a saved one, to its
  // confirmation.
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
