"""Admin widgets in the team's words.

FrenchDateTimeInput: a date and time written and read as « 15 septembre 2026 17 h 00 ». Wagtail's
picker (xdsoft's datetimepicker) writes it in that format (collectif/static/js/admin-datetime.js
teaches the picker to read it back), the team may type it, with or without accents,
« 1er », « à », a comma or « 17:00 »; the form receives it as ISO text, which Django's
DateTimeField reads. What cannot be read is handed back as typed, for the field's error.
"""

import re
import unicodedata
from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.dateformat import format as date_format

from wagtail.admin.widgets import AdminDateTimeInput

# Django's date format (what the team reads) and the picker's (PHP-like, same letters here).
DISPLAY_FORMAT = r"j F Y H \h i"
# What DateTimeField reads (in Django's DATETIME_INPUT_FORMATS and WAGTAIL_DATETIME_FORMAT).
ISO_FORMAT = "%Y-%m-%d %H:%M"
EXAMPLE = "15 septembre 2026 17 h 00"

MONTHS = (
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
).split()

_FRENCH = re.compile(
    r"""^\s*
    (?P<day>\d{1,2})\s*(?:er)?\s+
    (?P<month>[^\W\d_]+)\.?\s+
    (?P<year>\d{4})
    \s*(?:,|à|a)?\s*
    (?P<hour>\d{1,2})\s*(?:h|:)\s*(?P<minute>\d{2})?
    \s*$""",
    re.IGNORECASE | re.VERBOSE,
)
_ISO = re.compile(
    r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2})(?::|\s*h\s*)(\d{2})(?::\d{2})?\s*$"
)


def _plain(text):
    """« Décembre » → « decembre »: months compared without case or accents."""
    decomposed = unicodedata.normalize("NFD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _month(name):
    """The month a French name or a clear abbreviation (« sept », « déc », « juil ») names."""
    name = _plain(name)
    if len(name) < 3:
        return None
    matches = [n for n, month in enumerate(MONTHS, 1) if _plain(month).startswith(name)]
    return matches[0] if len(matches) == 1 else None


def parse_french_datetime(text):
    """« 15 septembre 2026 17 h 00 » → datetime(2026, 9, 15, 17, 0) (naive); None otherwise."""
    text = (text or "").replace("\xa0", " ").replace("\u202f", " ")
    match = _FRENCH.match(text)
    if match:
        month = _month(match["month"])
        parts = (match["year"], month, match["day"], match["hour"], match["minute"] or 0)
    else:
        match = _ISO.match(text)
        if not match:
            return None
        parts = match.groups()
        month = parts[1]
    if month is None:
        return None
    try:
        return datetime(*(int(part) for part in parts))
    except ValueError:
        return None


def french_input_value(value):
    """A moment as the field shows it, in the site's time zone: « 15 septembre 2026 17 h 00 »."""
    if isinstance(value, str):
        parsed = parse_french_datetime(value)
        if parsed is None:
            return value
        value = parsed
    elif timezone.is_aware(value):
        value = timezone.localtime(value)
    return date_format(value, DISPLAY_FORMAT)


class FrenchDateTimeInput(AdminDateTimeInput):
    def __init__(self, attrs=None):
        attrs = {
            "data-french-datetime": "",
            "placeholder": EXAMPLE,
            **(attrs or {}),
        }
        super().__init__(attrs=attrs, format=ISO_FORMAT)
        self.js_format = DISPLAY_FORMAT

    def get_config(self):
        # The typed text is left as typed on leaving the field (the picker would otherwise
        # replace what it cannot read with the current time): the form reads it.
        return {**super().get_config(), "validateOnBlur": False}

    def format_value(self, value):
        if value in (None, ""):
            return None
        return french_input_value(value)

    def value_from_datadict(self, data, files, name):
        value = super().value_from_datadict(data, files, name)
        parsed = parse_french_datetime(value) if isinstance(value, str) else None
        return parsed.strftime(ISO_FORMAT) if parsed else value

    @property
    def media(self):
        return super().media + forms.Media(js=["js/admin-datetime.js"])
