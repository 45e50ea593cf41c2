// A party's questionnaire: drafts are saved automatically while the party types (at most
// every few seconds, and when the page is left), and leaving with unsaved text warns.
// Nothing typed is lost: the form keeps a copy in this browser (localStorage, this site only)
// until the server confirms it saved it; a page that opens with an older text than the kept
// copy (after a failed save, an outage, a cut connection) offers it back.
// Without JavaScript the form works the same, with its two buttons.
(function () {
  "use strict";
  var form = document.querySelector("[data-party-form]");
  if (!form) return;
  var url = form.getAttribute("data-autosave-url");
  var status = form.querySelector("[data-autosave-status]");
  var revision = form.querySelector("input[name=base_revision]");
  var offer = form.querySelector("[data-kept-copy]");
  var DELAY = 5000;
  // A copy older than this is forgotten: the campaign it belonged to is long closed.
  var KEEP_FOR = 60 * 24 * 3600 * 1000;
  var NOT_KEPT = ["csrfmiddlewaretoken", "base_revision", "client_key", "action"];
  var dirty = false;
  var stopped = false;
  var timer = null;
  var inFlight = false;

  function say(text, isError) {
    if (!status) return;
    status.textContent = text;
    status.classList.toggle("is-error", !!isError);
  }

  // --- The copy kept in this browser, one per link and questionnaire (the page's path). The
  // key is a hash of the path: the private link itself is not written in clear.
  var key = (function () {
    var hash = 2166136261;
    var path = window.location.pathname;
    for (var i = 0; i < path.length; i++) {
      hash ^= path.charCodeAt(i);
      hash = Math.imul(hash, 16777619) >>> 0;
    }
    return "collectif-copie-" + hash.toString(16);
  })();

  function typed() {
    var values = {};
    new FormData(form).forEach(function (value, name) {
      if (NOT_KEPT.indexOf(name) === -1 && typeof value === "string") values[name] = value;
    });
    return values;
  }

  function readCopy() {
    try {
      var copy = JSON.parse(window.localStorage.getItem(key) || "null");
      if (copy && copy.values && Date.now() - copy.at < KEEP_FOR) return copy.values;
    } catch (error) {
      /* no storage (private browsing), or a copy that is not ours */
    }
    return null;
  }

  function keepCopy() {
    try {
      window.localStorage.setItem(key, JSON.stringify({ at: Date.now(), values: typed() }));
    } catch (error) {
      /* storage full or refused: the server copy is all there is */
    }
  }

  function dropCopy() {
    try {
      window.localStorage.removeItem(key);
    } catch (error) {
      /* nothing kept */
    }
  }

  function differs(values) {
    var current = typed();
    return Object.keys(values).some(function (name) {
      return (values[name] || "") !== (current[name] || "");
    });
  }

  function restore(values) {
    Object.keys(values).forEach(function (name) {
      form.querySelectorAll('[name="' + name.replace(/"/g, "") + '"]').forEach(function (field) {
        if (field.type === "radio" || field.type === "checkbox") {
          field.checked = field.value === values[name];
        } else {
          field.value = values[name];
        }
        field.dispatchEvent(new Event("input", { bubbles: true }));
      });
    });
  }

  if (document.querySelector("[data-saved]")) {
    // The page confirms a save made with this very form: the copy has done its job.
    dropCopy();
  } else {
    var kept = readCopy();
    if (kept && offer && differs(kept)) {
      // An alert only once there is something to say: one alert on the page at a time.
      if (!document.querySelector("[data-focus-on-load][role=alert]")) {
        offer.setAttribute("role", "alert");
      }
      offer.hidden = false;
      if (!document.querySelector("[data-focus-on-load]")) offer.focus();
      offer.querySelector("[data-kept-copy-restore]").addEventListener("click", function () {
        restore(kept);
        offer.hidden = true;
        dirty = true;
        say("Votre texte est remis dans le formulaire. Enregistrez-le ou soumettez-le.");
        var first = form.querySelector("textarea, input[type=text]");
        if (first) first.focus();
      });
    }
  }

  // --- Automatic drafts.
  function payload() {
    var data = new FormData(form);
    data.delete("action");
    return data;
  }

  function failed(message) {
    dirty = true;
    say(message + " Votre texte est gardé dans ce navigateur.", true);
  }

  function save() {
    timer = null;
    if (!dirty || stopped || !url) return;
    if (inFlight) {
      schedule();
      return;
    }
    inFlight = true;
    dirty = false;
    fetch(url, { method: "POST", body: payload(), credentials: "same-origin" })
      .then(function (response) {
        return response
          .json()
          .catch(function () {
            return {};
          })
          .then(function (body) {
            return { ok: response.ok, status: response.status, body: body };
          });
      })
      .then(function (result) {
        if (result.ok && result.body.revision !== undefined) {
          revision.value = result.body.revision;
          // Typed since the draft left: the copy still holds more than the server.
          if (!dirty) dropCopy();
          say("Brouillon enregistré automatiquement à " + result.body.heure + ".");
        } else if (result.status === 409 || result.status === 403 || result.status === 400) {
          if (result.status !== 400) stopped = true;
          failed(result.body.erreur || "Brouillon non enregistré.");
        } else {
          failed("Brouillon non enregistré : le site ne répond pas (erreur " + result.status + ").");
          schedule();
        }
      })
      .catch(function () {
        failed("Brouillon non enregistré (connexion perdue). Nouvel essai dans quelques secondes.");
        schedule();
      })
      .then(function () {
        inFlight = false;
      });
  }

  function schedule() {
    if (!timer && !stopped && url) timer = window.setTimeout(save, DELAY);
  }

  function typing() {
    dirty = true;
    keepCopy();
    schedule();
  }

  form.addEventListener("input", typing);
  form.addEventListener("change", typing);
  form.addEventListener("submit", function () {
    // The copy stays until the page that follows confirms the save.
    keepCopy();
    dirty = false;
    stopped = true;
  });
  // Leaving the page: one last save that the browser sends even as the page closes.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && dirty && !stopped && url && navigator.sendBeacon) {
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
