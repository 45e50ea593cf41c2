// A party's questionnaire: drafts are saved automatically while the party types (at most
// every few seconds, and when the page is left), and leaving with unsaved text warns.
// Without JavaScript the form works the same, with its two buttons.
(function () {
  "use strict";
  var form = document.querySelector("[data-party-form]");
  if (!form) return;
  var url = form.getAttribute("data-autosave-url");
  var status = form.querySelector("[data-autosave-status]");
  var revision = form.querySelector("input[name=base_revision]");
  var DELAY = 5000;
  var dirty = false;
  var stopped = false;
  var timer = null;
  var inFlight = false;

  function say(text, isError) {
    if (!status) return;
    status.textContent = text;
    status.classList.toggle("is-error", !!isError);
  }

  function payload() {
    var data = new FormData(form);
    data.delete("action");
    return data;
  }

  function save() {
    timer = null;
    if (!dirty || stopped) return;
    if (inFlight) {
      schedule();
      return;
    }
    inFlight = true;
    dirty = false;
    fetch(url, { method: "POST", body: payload(), credentials: "same-origin" })
      .then(function (response) {
        return response.json().then(function (body) {
          return { ok: response.ok, status: response.status, body: body };
        });
      })
      .then(function (result) {
        if (result.ok) {
          revision.value = result.body.revision;
          say("Brouillon enregistré automatiquement à " + result.body.heure + ".");
        } else {
          dirty = true;
          if (result.status === 409 || result.status === 403) stopped = true;
          say(result.body.erreur || "Brouillon non enregistré.", true);
        }
      })
      .catch(function () {
        dirty = true;
        say("Brouillon non enregistré (connexion perdue). Nouvel essai dans quelques secondes.", true);
        schedule();
      })
      .then(function () {
        inFlight = false;
      });
  }

  function schedule() {
    if (!timer && !stopped) timer = window.setTimeout(save, DELAY);
  }

  form.addEventListener("input", function () {
    dirty = true;
    schedule();
  });
  form.addEventListener("change", function () {
    dirty = true;
    schedule();
  });
  form.addEventListener("submit", function () {
    dirty = false;
    stopped = true;
  });
  // Leaving the page: one last save that the browser sends even as the page closes.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && dirty && !stopped && navigator.sendBeacon) {
      navigator.sendBeacon(url, payload());
    }
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
