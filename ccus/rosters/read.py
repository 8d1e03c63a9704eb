"""Read a roster file into rows of text: CSV in UTF-8, UTF-8 with BOM or CP932, or Excel .xlsx."""

import csv
import datetime
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook

ENCODINGS = {"utf-8-sig": "UTF-8", "cp932": "Shift_JIS (CP932)"}
MAX_ROWS = 20_000


@dataclass
class Sheet:
    """The cells of a roster: a header row and the data rows, each cell a str or a date."""

    header: list[str]
    rows: list[list]
    encoding: str = ""


def detect_encoding(data: bytes) -> str:
    """Return "utf-8-sig" for UTF-8 (with or without BOM), else "cp932" (Japanese Excel)."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "cp932"
    return "utf-8-sig"


def _read_csv(data: bytes, encoding: str) -> list[list]:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        raise ValidationError(
            _("The file could not be read as %(encoding)s. Choose the other character code."),
            code="encoding",
            params={"encoding": ENCODINGS.get(encoding, encoding)},
        ) from error
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise ValidationError(
            _("The CSV file is damaged (%(reason)s). Save it again from Excel as CSV."),
            code="csv",
            params={"reason": str(error)[:80]},
        ) from error


def _cell(value) -> object:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_xlsx(data: bytes) -> list[list]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        sheet = workbook.worksheets[0]
        return [[_cell(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    except Exception as error:  # any failure inside a damaged workbook means the same to a user
        raise ValidationError(
            _("This is not an Excel (.xlsx) file, or it is damaged. Save it again as .xlsx."),
            code="xlsx",
        ) from error


def read_roster(data: bytes, filename: str, encoding: str = "") -> Sheet:
    """Read the first sheet or the CSV text; drop empty rows; refuse an empty or huge file."""
    if filename.lower().endswith(".xlsx"):
        rows, used = _read_xlsx(data), ""
    else:
        used = encoding or detect_encoding(data)
        rows = _read_csv(data, used)
    rows = [row for row in rows if any(str(cell).strip() for cell in row)]
    if len(rows) < 2:
        raise ValidationError(
            _("The file has no rows under the header. Check that the first row holds the "
              "column names and the workers follow."),
            code="empty",
        )  # fmt: skip
    if len(rows) > MAX_ROWS + 1:
        raise ValidationError(
            _("The file has more than %(max)s rows. Split it into smaller files."),
            code="too_many_rows",
            params={"max": MAX_ROWS},
        )
    header = [str(cell).strip() for cell in rows[0]]
    width = len(header)
    body = [(list(row) + [""] * width)[:width] for row in rows[1:]]
    return Sheet(header, body, used)
