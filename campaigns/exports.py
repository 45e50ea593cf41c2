"""Spreadsheet exports that are safe to open: a cell that a spreadsheet would read as a
formula is neutralised in CSV (a leading apostrophe) and typed as text in XLSX."""

import csv
import io

from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING

from collectif.exports import neutralise


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
