"""Read a roster file into rows of text: CSV in UTF-8, UTF-8 with BOM or CP932, or Excel .xlsx."""

import csv
import datetime
import io
import itertools
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook

from vault.spreadsheets import unsafe_cell

ENCODINGS = {"utf-8-sig": "UTF-8", "cp932": "Shift_JIS (CP932)"}
MAX_ROWS = 50_000


class NumberText(str):
    """The text of a cell that the file holds as a number (Excel may have changed its digits)."""

    __slots__ = ()


@dataclass
class Sheet:
    """The cells of a roster: a header row and the data rows, each cell a str or a date."""

    header: list[str]
    rows: list[list]
    encoding: str = ""
    # The row number of each data row as Excel shows it (blank rows counted, header included).
    numbers: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.numbers:
            self.numbers = list(range(2, len(self.rows) + 2))

    def row(self, number: int) -> list:
        """Return the cells of the data row with this row number."""
        return self.rows[self.numbers.index(number)]


def detect_encoding(data: bytes) -> str:
    """Return "utf-8-sig" for UTF-8 (with or without BOM), else "cp932" (Japanese Excel)."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "cp932"
    return "utf-8-sig"


def _encoding_error(encoding: str) -> ValidationError:
    return ValidationError(
        _("The file could not be read as %(encoding)s. Choose the other character code."),
        code="encoding",
        params={"encoding": ENCODINGS.get(encoding, encoding)},
    )


def _read_csv(data: bytes, encoding: str) -> Iterator[list]:
    """Yield the CSV's rows one by one, decoding as it goes."""
    try:
        text = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")
        for row in csv.reader(text):
            yield [unsafe_cell(cell) for cell in row]
    except UnicodeDecodeError as error:
        raise _encoding_error(encoding) from error
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
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return NumberText(int(value))
    if isinstance(value, int | float):
        return NumberText(value)
    return unsafe_cell(str(value))


def _read_xlsx(data: bytes) -> Iterator[list]:
    """Yield the first sheet's rows one by one (openpyxl's read-only mode streams the XML)."""
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        sheet = workbook.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield [_cell(value) for value in row]
    except Exception as error:  # any failure inside a damaged workbook means the same to a user
        raise ValidationError(
            _("This is not an Excel (.xlsx) file, or it is damaged. Save it again as .xlsx."),
            code="xlsx",
        ) from error


def _is_blank(row: list) -> bool:
    return not any(str(cell).strip() for cell in row)


def _is_row_number_only(row: list) -> bool:
    """Tell whether a row holds nothing but a row number (a numbered row of a template)."""
    filled = [c for c in row if str(c).strip()]
    if len(filled) != 1:  # most rows: several cells, normalised only for the one that matters
        return False
    text = unicodedata.normalize("NFKC", str(filled[0])).strip()
    return text.isascii() and text.isdigit() and len(text) < 6


@dataclass
class RosterStream:
    """A roster read as it is iterated: the header now, then (row number, cells) per data row."""

    header: list[str]
    encoding: str
    rows: Iterator[tuple[int, list]]


def stream_roster(data: bytes, filename: str, encoding: str = "") -> RosterStream:
    """Read the header; the data rows follow one by one, padded to the header's width."""
    if filename.lower().endswith(".xlsx"):
        rows, used = _read_xlsx(data), ""
    else:
        used = encoding or detect_encoding(data)
        rows = _read_csv(data, used)
    numbered = ((n, row) for n, row in enumerate(rows, start=1) if not _is_blank(row))
    first, second = next(numbered, None), next(numbered, None)
    if second is None:
        raise ValidationError(
            _("The file has no rows under the header. Check that the first row holds the "
              "column names and the workers follow."),
            code="empty",
        )  # fmt: skip
    header = [str(cell).strip() for cell in first[1]]
    return RosterStream(header, used, _body(itertools.chain([second], numbered), len(header)))


def _body(numbered: Iterator[tuple[int, list]], width: int) -> Iterator[tuple[int, list]]:
    for count, (number, row) in enumerate(numbered, start=1):
        if count > MAX_ROWS:
            raise ValidationError(
                _("The file has more than %(max)s rows. Split it into smaller files."),
                code="too_many_rows",
                params={"max": MAX_ROWS},
            )
        if not _is_row_number_only(row):
            yield number, (list(row) + [""] * width)[:width]


def count_rows(data: bytes, filename: str, encoding: str = "") -> int:
    """Return how many data rows the file holds, reading it through once."""
    return sum(1 for _row in stream_roster(data, filename, encoding).rows)


def read_roster(data: bytes, filename: str, encoding: str = "") -> Sheet:
    """Read the first sheet or the CSV text; drop empty rows; refuse an empty or huge file."""
    stream = stream_roster(data, filename, encoding)
    body = list(stream.rows)
    return Sheet(stream.header, [cells for _n, cells in body], stream.encoding,
                 [n for n, _cells in body])  # fmt: skip
