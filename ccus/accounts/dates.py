"""Dates as Japanese offices write them: 西暦 or 和暦, in cells, files and forms."""

import datetime
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ERAS = {"明治": 1867, "大正": 1911, "昭和": 1925, "平成": 1988, "令和": 2018,
        "M": 1867, "T": 1911, "S": 1925, "H": 1988, "R": 2018}  # fmt: skip
_ERA_DATE = re.compile(
    r"^(明治|大正|昭和|平成|令和|[MTSHR])(\d{1,2}|元)[年.\-/](\d{1,2})[月.\-/](\d{1,2})日?$"
)
_DATE = re.compile(r"^(\d{4})[年.\-/](\d{1,2})[月.\-/](\d{1,2})日?$")


def parse_date(value) -> datetime.date | None:
    """Read a date cell, 2027/03/31, 2027-03-31, 2027年3月31日, 令和9年3月31日 or R9.3.31."""
    if isinstance(value, datetime.date):
        return value
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value)))
    if not text:
        return None
    if match := _DATE.match(text):
        year, month, day = (int(part) for part in match.groups())
    elif match := _ERA_DATE.match(text.upper() if text[:1].isascii() else text):
        era, year_text, month_text, day_text = match.groups()
        year = ERAS[era] + (1 if year_text == "元" else int(year_text))
        month, day = int(month_text), int(day_text)
    else:
        raise ValidationError(
            _("“%(value)s” is not a date. Write it like 2027/03/31 or 令和9年3月31日."),
            code="date", params={"value": text},
        )  # fmt: skip
    try:
        return datetime.date(year, month, day)
    except ValueError as error:
        raise ValidationError(
            _("“%(value)s” is not a real date."), code="date", params={"value": text}
        ) from error
