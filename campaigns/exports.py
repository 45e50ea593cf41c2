"""The open data's files, safe to open in a spreadsheet: a cell that a spreadsheet would read
as a formula gets a leading apostrophe. (The team's exports are Wagtail's spreadsheet export,
made safe by `collectif.protection.exports.FormulaSafeExportMixin`.)"""

import csv
import io

from collectif.protection.exports import FORMULA_TRIGGERS


def open_cell(value):
    """A cell of the open data. A text a spreadsheet would run as a formula (or that starts
    with an apostrophe itself) gets one leading apostrophe: a spreadsheet shows it as text, and
    a program gets back exactly what the party wrote by removing the first character of any
    cell that starts with an apostrophe (the field dictionary says so)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if text.startswith((*FORMULA_TRIGGERS, "'")):
        return "'" + text
    return text


def to_open_csv(names, rows, delimiter=","):
    """The open data's CSV: a header of field names, a row per dict. The `;` files, made for
    spreadsheets in French, start with a byte order mark so that they read the accents."""
    buffer = io.StringIO()
    if delimiter == ";":
        buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(names)
    for row in rows:
        writer.writerow([open_cell(row.get(name)) for name in names])
    return buffer.getvalue().encode("utf-8")
