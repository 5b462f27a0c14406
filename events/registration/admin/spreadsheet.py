"""Exports that open in a Danish Excel: CSV with `;` and a byte-order mark, XLSX with a Danish sheet name, fitted
column widths, a frozen header and an autofilter; both streamed so a long list does not sit in the server's memory."""

from __future__ import annotations

import csv
import datetime as dt
import tempfile

from django.db.models import Max
from django.db.models.functions import Length
from django.http import FileResponse, StreamingHttpResponse
from django.utils.encoding import force_str

from wagtail.admin.views.mixins import SpreadsheetExportMixin

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

# Danish Excel reads `;` as the list separator (`,` is the decimal comma) and needs the BOM to read UTF-8 at all.
CSV_DELIMITER = ";"
BOM = "\ufeff"
# Day-month-year as Danish Excel reads and shows it; minutes are what a coordinator sorts and reads by.
CSV_DATETIME_FORMAT = "%d-%m-%Y %H:%M"
XLSX_DATETIME_FORMAT = "dd-mm-yyyy hh:mm"
DATETIME_WIDTH = len("31-12-2027 23:59")
MIN_WIDTH, MAX_WIDTH = 8, 60
ITERATOR_CHUNK = 1000
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class Echo:
    """The file-like object csv.writer writes a row to, handing the row back to be streamed."""

    def write(self, value: str) -> str:
        return value


class DanishSpreadsheetExportMixin(SpreadsheetExportMixin):
    """Wagtail's export, made for a Danish Excel and for thousands of rows.

    `export_sheet_title` names the sheet. `export_width_sources` maps a column to what its width follows from: a
    database path (the longest value is asked of the database in one query, so the rows are read once) or a list of
    the texts it can hold (a status label); other columns are as wide as their heading, datetimes as a datetime."""

    export_sheet_title = "Ark"
    export_width_sources: dict[str, str | list] = {}
    export_datetime_fields: tuple[str, ...] = ()

    def export_rows(self, queryset):
        # iterator(): rows are read in chunks and not kept on the queryset, so memory stays flat.
        return queryset.iterator(chunk_size=ITERATOR_CHUNK)

    def export_value(self, value):
        if isinstance(value, dt.datetime):
            return value.replace(microsecond=0)
        return value

    # CSV

    def preprocess_field_value(self, field, value, export_format):
        if isinstance(value, str | int | None):  # as they are; the lookup of a preprocessor per cell is not free
            return value
        value = self.export_value(value)
        if export_format == self.FORMAT_CSV and isinstance(value, dt.datetime):
            return value.strftime(CSV_DATETIME_FORMAT)
        return super().preprocess_field_value(field, value, export_format)

    def stream_csv(self, queryset):
        writer = csv.DictWriter(Echo(), fieldnames=self.list_export, delimiter=CSV_DELIMITER)
        yield BOM + writer.writerow({field: self.get_heading(queryset, field) for field in self.list_export})
        for item in self.export_rows(queryset):
            yield self.write_csv_row(writer, self.to_row_dict(item))

    def write_csv_response(self, queryset):
        response = StreamingHttpResponse(self.stream_csv(queryset), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.get_filename()}.csv"'
        return response

    # XLSX

    def column_widths(self, queryset, headings: list[str]) -> list[float]:
        paths = {f: s for f, s in self.export_width_sources.items() if isinstance(s, str)}
        longest = queryset.aggregate(**{f: Max(Length(path)) for f, path in paths.items()}) if paths else {}
        widths = []
        for field, heading in zip(self.list_export, headings, strict=True):
            source = self.export_width_sources.get(field)
            content = 0
            if field in paths:
                content = longest.get(field) or 0
            elif isinstance(source, list):
                content = max((len(force_str(text)) for text in source), default=0)
            elif field in self.export_datetime_fields:
                content = DATETIME_WIDTH
            # A little air, as Excel's own "fit to content" leaves; no column wider than a screen's third.
            widths.append(min(max(len(heading), content, MIN_WIDTH) + 2, MAX_WIDTH))
        return widths

    def write_xlsx(self, queryset, output):
        # write_only: each row goes to a temporary file as it is appended; the workbook never holds them all.
        workbook = Workbook(write_only=True, iso_dates=True)
        sheet = workbook.create_sheet(title=force_str(self.export_sheet_title)[:31])
        headings = [self.get_heading(queryset, field) for field in self.list_export]
        # Widths and the frozen pane go before the first row: a write-only sheet writes them at its top.
        for index, width in enumerate(self.column_widths(queryset, headings), start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "A2"
        sheet.append(headings)
        rows = 1
        for item in self.export_rows(queryset):
            sheet.append(self.generate_xlsx_row(sheet, self.to_row_dict(item), date_format=XLSX_DATETIME_FORMAT))
            rows += 1
        # The autofilter is written after the rows, so it can span them now that they are counted.
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(headings))}{rows}"
        workbook.save(output)

    def write_xlsx_response(self, queryset):
        # A temporary file, not memory: FileResponse streams it out in blocks and closes (deletes) it afterwards.
        output = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it once sent
        self.write_xlsx(queryset, output)
        output.seek(0)
        return FileResponse(
            output, as_attachment=True, content_type=XLSX_CONTENT_TYPE, filename=f"{self.get_filename()}.xlsx"
        )
