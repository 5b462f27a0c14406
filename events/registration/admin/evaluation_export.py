"""The evaluation exports, as the offering's: CSV with `;` and a byte-order mark; XLSX with a Danish sheet name,
columns fitted to their longest value, a frozen header and an autofilter. The rows are few (one per response or
per evaluation), so they are built in memory."""

from __future__ import annotations

import csv
import io
import tempfile

from django.http import FileResponse, HttpResponse
from django.utils.encoding import force_str

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter

from .offering import csv_safe
from .spreadsheet import BOM, CSV_DELIMITER, MAX_WIDTH, MIN_WIDTH, XLSX_CONTENT_TYPE


def csv_response(*, headings: list[str], rows: list[list], filename: str) -> HttpResponse:
    output = io.StringIO()
    writer = csv.writer(output, delimiter=CSV_DELIMITER)
    writer.writerow([csv_safe(heading) for heading in headings])
    for row in rows:
        # Answers come from a public form: a cell that starts like a formula must stay text in a spreadsheet.
        writer.writerow([csv_safe(_csv_number(value)) for value in row])
    response = HttpResponse(BOM + output.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def _csv_number(value):
    # A Danish Excel reads a decimal comma; a mean is written 3,2 as the page shows it.
    return f"{value:.2f}".replace(".", ",") if isinstance(value, float) else value


def column_widths(headings: list[str], rows: list[list]) -> list[float]:
    widths = []
    for index, heading in enumerate(headings):
        content = max((len(force_str(row[index])) for row in rows if row[index] not in (None, "")), default=0)
        widths.append(min(max(len(heading), content, MIN_WIDTH) + 2, MAX_WIDTH))
    return widths


def xlsx_response(*, sheet_title: str, headings: list[str], rows: list[list], filename: str) -> FileResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=force_str(sheet_title)[:31])
    for index, width in enumerate(column_widths(headings, rows), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.append([_cell(sheet, heading) for heading in headings])
    for row in rows:
        sheet.append([_cell(sheet, value) for value in row])
    sheet.auto_filter.ref = f"A1:{get_column_letter(max(len(headings), 1))}{len(rows) + 1}"
    output = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it once sent
    workbook.save(output)
    output.seek(0)
    return FileResponse(output, as_attachment=True, content_type=XLSX_CONTENT_TYPE, filename=f"{filename}.xlsx")


def _cell(sheet, value):
    cell = WriteOnlyCell(sheet, value=None if value == "" else value)
    if isinstance(value, str) and value:
        cell.data_type = "s"  # text that starts with "=" stays text, never a formula
    elif isinstance(value, float):
        cell.number_format = "0.00"
    return cell
