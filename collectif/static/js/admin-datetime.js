// The admin's date-time fields in French (collectif/team/widgets.py, FrenchDateTimeInput):
// Wagtail's picker writes « 15 septembre 2026 17 h 00 »; taught here to read it back (and
// « 17:00 », « 1er », « à »), so that it opens on the date the field holds. A picker closes
// when the focus leaves its field, so that it never hides the next fields.
(function () {
  "use strict";
  var $ = window.jQuery;
  if (!$ || !$.datetimepicker || typeof window.DateFormatter !== "function") {
    return;
  }
  var strings = (window.wagtailConfig || {}).STRINGS || {};
  var months = strings.MONTHS;
  var settings = months
    ? {
        days: strings.WEEKDAYS,
        daysShort: strings.WEEKDAYS_SHORT,
        months: months,
        monthsShort: months.map(function (month) {
          return month.substring(0, 3);
        }),
      }
    : undefined;
  var base = new window.DateFormatter(settings ? { dateSettings: settings } : {});
  var FRENCH_HOUR = /H \\h i/;

  function normalise(value) {
    return String(value)
      .replace(/[\u00a0\u202f]/g, " ")
      .replace(/^(\s*\d{1,2})\s*er\b/i, "$1")
      .replace(/\s*(,|\bà\b)\s*/g, " ")
      .replace(/(\d{1,2})\s*h\s*(\d{2})?\s*$/i, function (match, hour, minute) {
        return hour + ":" + (minute || "00");
      });
  }

  $.datetimepicker.setDateFormatter({
    parseDate: function (value, format) {
      if (typeof value === "string" && FRENCH_HOUR.test(format)) {
        return base.parseDate(normalise(value), format.replace(FRENCH_HOUR, "H:i"));
      }
      return base.parseDate(value, format);
    },
    formatDate: function (date, format) {
      return base.formatDate(date, format);
    },
    formatMask: function (format) {
      return format;
    },
  });

  // The picker opens 100 ms after its field takes the focus: if the focus has moved on by
  // then (typing and leaving at once), it is closed again.
  $(document).on("open.xdsoft", ".xdsoft_datetimepicker", function () {
    var input = $(this).data("input");
    if (input && input.is("[data-french-datetime]") && input[0] !== document.activeElement) {
      window.setTimeout(function () {
        input.datetimepicker("hide");
      }, 0);
    }
  });

  document.addEventListener("focusin", function (event) {
    var target = event.target;
    if (target.closest && target.closest(".xdsoft_datetimepicker")) {
      return;
    }
    $("input[data-french-datetime]").each(function () {
      if (this !== target) {
        $(this).datetimepicker("hide");
      }
    });
  });
})();
