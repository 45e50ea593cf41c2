"""Spreadsheet safety shared by every export of the site."""

from wagtail.admin.views.mixins import SpreadsheetExportMixin

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A cell a spreadsheet would read as a formula gets a leading apostrophe (OWASP)."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


class FormulaSafeExportMixin:
    """For Wagtail's index views: its XLSX export already types formulas as text; this makes
    its CSV export safe too."""

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        if export_format == SpreadsheetExportMixin.FORMAT_CSV and isinstance(value, str):
            return neutralise(value)
        return value
