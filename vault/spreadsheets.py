"""Tables as downloads: CSV that Excel opens (UTF-8 with BOM) and real Excel workbooks."""

import csv
import io
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def csv_response(header: Sequence, rows: Iterable[Sequence], filename: str) -> HttpResponse:
    """Return the table as a CSV download with a byte-order mark, so Excel reads UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(str(cell)) for cell in header])
    writer.writerows([_csv_cell(cell) for cell in row] for row in rows)
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    # A Japanese file name (名簿.csv) is sent as RFC 6266 filename*, which browsers read.
    response["Content-Disposition"] = content_disposition_header(True, f"{filename}.csv")
    return response


# A text cell that begins with one of these is read as a formula by Excel (OWASP CSV
# injection); the apostrophe is there too so that one leading "'" can always be removed again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")
# A bare number this long loses digits when Excel opens a CSV file (1.23457E+13).
LONG_NUMBER = re.compile(r"^[0-9]{12,}$")


def safe_cell(value):
    """Return a cell that no spreadsheet runs as a formula: a leading ' before =, +, -, @, …."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def unsafe_cell(value: str) -> str:
    """Undo safe_cell on a cell read back from a file the vault wrote."""
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def _csv_cell(value):
    """Return a CSV cell: formulas neutralised, long numbers grouped so that Excel keeps them."""
    if isinstance(value, str) and LONG_NUMBER.match(value):
        return "-".join(value[i : i + 4] for i in range(0, len(value), 4))
    return safe_cell(value)


def xlsx_response(
    header: Sequence, rows: Iterable[Sequence], filename: str, title: str
) -> HttpResponse:
    """Return the table as an Excel workbook download."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append([safe_cell(str(cell)) for cell in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([safe_cell(cell) for cell in row])
    for column in sheet.columns:
        width = max(len(str(cell.value or "")) for cell in column)
        sheet.column_dimensions[column[0].column_letter].width = min(max(width * 1.6, 8), 50)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, f"{filename}.xlsx")
    return response


def table_response(fmt: str, header, rows, filename: str, title: str) -> HttpResponse:
    """Return the table as CSV or Excel, by format name."""
    if fmt == "xlsx":
        return xlsx_response(header, list(rows), filename, title)
    return csv_response(header, rows, filename)


# Rows are sent in groups of this many, and a workbook is read back in chunks of this size.
STREAM_ROWS = 1000
STREAM_BYTES = 64 * 1024


class _Line:
    """A file for csv.writer that hands each written line back instead of keeping it."""

    def write(self, line: str) -> str:
        return line


def csv_lines(header: Sequence, rows: Iterable[Sequence]) -> Iterator[str]:
    """Yield the CSV file (with its byte-order mark) a group of rows at a time."""
    writer = csv.writer(_Line())
    lines = ["\ufeff" + writer.writerow([safe_cell(str(cell)) for cell in header])]
    for row in rows:
        lines.append(writer.writerow([_csv_cell(cell) for cell in row]))
        if len(lines) >= STREAM_ROWS:
            yield "".join(lines)
            lines = []
    yield "".join(lines)


def xlsx_chunks(header: Sequence, rows: Iterable[Sequence], title: str) -> Iterator[bytes]:
    """Yield an Excel workbook written row by row to a temporary file, then read in chunks."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    # A write-only sheet takes its column widths before the first row: they follow the header.
    for number, cell in enumerate(header, start=1):
        width = min(max(len(str(cell)) * 2.2, 12), 50)
        sheet.column_dimensions[get_column_letter(number)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    titles = [WriteOnlyCell(sheet, value=safe_cell(str(cell))) for cell in header]
    for cell in titles:
        cell.font = bold
    sheet.append(titles)
    for row in rows:
        sheet.append([safe_cell(cell) for cell in row])
    with tempfile.TemporaryFile() as file:
        workbook.save(file)
        file.seek(0)
        while chunk := file.read(STREAM_BYTES):
            yield chunk


def streaming_table_response(
    fmt: str, header: Sequence, rows: Iterable[Sequence], filename: str, title: str
) -> StreamingHttpResponse:
    """Return the table as a CSV or Excel download whose rows are read only as it is sent."""
    if fmt == "xlsx":
        response = StreamingHttpResponse(xlsx_chunks(header, rows, title), content_type=XLSX_TYPE)
    else:
        fmt = "csv"
        response = StreamingHttpResponse(
            csv_lines(header, rows), content_type="text/csv; charset=utf-8"
        )
    response["Content-Disposition"] = content_disposition_header(True, f"{filename}.{fmt}")
    return response
