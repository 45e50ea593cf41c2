"""Spreadsheet exports that are safe to open: a cell that a spreadsheet would read as a
formula is neutralised in CSV (a leading apostrophe) and typed as text in XLSX."""

import csv
import io

from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING

from collectif.exports import FORMULA_TRIGGERS, neutralise


def to_csv(header, rows, delimiter=","):
    buffer = io.StringIO()
    # A byte order mark, so that spreadsheet programs read the accents as UTF-8.
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow([neutralise(cell) for cell in header])
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return buffer.getvalue().encode("utf-8")


def to_xlsx(header, rows, title="Réponses"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    for row_number, row in enumerate([header, *rows], start=1):
        for column_number, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_number, column=column_number)
            cell.value = "" if value is None else str(value)
            # openpyxl reads "=…" as a formula: force every cell to be plain text.
            cell.data_type = TYPE_STRING
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


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
