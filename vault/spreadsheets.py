"""Tables as downloads: CSV that Excel opens (UTF-8 with BOM) and real Excel workbooks."""

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def csv_response(header: Sequence, rows: Iterable[Sequence], filename: str) -> HttpResponse:
    """Return the table as a CSV download with a byte-order mark, so Excel reads UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([str(cell) for cell in header])
    writer.writerows(rows)
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def _safe(cell):
    """Keep a text cell from being read as a formula when the file is opened."""
    if isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@"):
        return "'" + cell
    return cell


def xlsx_response(
    header: Sequence, rows: Iterable[Sequence], filename: str, title: str
) -> HttpResponse:
    """Return the table as an Excel workbook download."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append([str(cell) for cell in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_safe(cell) for cell in row])
    for column in sheet.columns:
        width = max(len(str(cell.value or "")) for cell in column)
        sheet.column_dimensions[column[0].column_letter].width = min(max(width * 1.6, 8), 50)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def table_response(fmt: str, header, rows, filename: str, title: str) -> HttpResponse:
    """Return the table as CSV or Excel, by format name."""
    if fmt == "xlsx":
        return xlsx_response(header, list(rows), filename, title)
    return csv_response(header, rows, filename)
