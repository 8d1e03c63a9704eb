"""Dates as Japanese offices write them: 西暦 or 和暦, Excel serials, in cells, files and forms."""

import datetime
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ccus.accounts.validators import SoftWarning

# Each era: its name, its letter, and its first day. An era ends the day before the next begins.
_ERA_STARTS = [
    ("明治", "M", datetime.date(1868, 10, 23)),
    ("大正", "T", datetime.date(1912, 7, 30)),
    ("昭和", "S", datetime.date(1926, 12, 25)),
    ("平成", "H", datetime.date(1989, 1, 8)),
    ("令和", "R", datetime.date(2019, 5, 1)),
]
ERAS = {name: start.year - 1 for name, _letter, start in _ERA_STARTS} | {
    letter: start.year - 1 for _name, letter, start in _ERA_STARTS
}
_ERA_NAMES = {letter: name for name, letter, _start in _ERA_STARTS}
_ERA_DATE = re.compile(
    r"^(明治|大正|昭和|平成|令和|[MTSHR])(\d{1,2}|元)[年.\-/](\d{1,2})[月.\-/](\d{1,2})日?$"
)
_DATE = re.compile(r"^(\d{4})[年.\-/](\d{1,2})[月.\-/](\d{1,2})日?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_SERIAL = re.compile(r"^(\d{1,5})(?:\.\d+)?$")
# "1975/4/1 0:00" as Excel writes a date cell into a CSV file.
_TIME = re.compile(r"^(.+?)\s+\d{1,2}:\d{2}(?::\d{2})?$")
EXCEL_EPOCH = datetime.date(1899, 12, 30)
YOUNGEST, OLDEST = 15, 90


def _era_bounds(name: str) -> tuple[datetime.date, datetime.date | None]:
    """Return the first and last day of an era (None while it lasts)."""
    names = [era for era, _letter, _start in _ERA_STARTS]
    position = names.index(name)
    start = _ERA_STARTS[position][2]
    if position + 1 == len(_ERA_STARTS):
        return start, None
    return start, _ERA_STARTS[position + 1][2] - datetime.timedelta(days=1)


def wareki(day: datetime.date) -> str:
    """Return a date in the era it falls in: 令和2年4月1日 (元年 for the first year)."""
    for name, _letter, start in reversed(_ERA_STARTS):
        if day >= start:
            year = day.year - start.year + 1
            return f"{name}{'元' if year == 1 else year}年{day.month}月{day.day}日"
    return f"{day.year}年{day.month}月{day.day}日"


def _in_era(text: str, name: str, day: datetime.date) -> datetime.date:
    """Return the day if the era was in force on it; else refuse, naming the right date."""
    start, end = _era_bounds(name)
    if day < start:
        message = _(
            "“%(value)s” does not exist: %(era)s began on %(start)s. That day is %(right)s."
        )
        params = {"era": name, "start": f"{start:%Y-%m-%d}"}
    elif end is not None and day > end:
        message = _("“%(value)s” does not exist: %(era)s ended on %(end)s. That day is %(right)s.")
        params = {"era": name, "end": f"{end:%Y-%m-%d}"}
    else:
        return day
    right = f"{wareki(day)} ({day:%Y-%m-%d})"
    raise ValidationError(message, code="era", params={"value": text, "right": right, **params})


def _not_a_date(text: str) -> ValidationError:
    return ValidationError(
        _("“%(value)s” is not a date. Write it like 2027/03/31 or 令和9年3月31日."),
        code="date", params={"value": text},
    )  # fmt: skip


def _serial(days: int, text: str) -> datetime.date:
    """Return the day of an Excel serial number (days since 1899-12-30)."""
    if days < 1:
        raise _not_a_date(text)
    return EXCEL_EPOCH + datetime.timedelta(days=days)


def _split(text: str) -> tuple[int, int, int, str | None]:
    """Return year, month, day and the era name (if the text is in 和暦) of a date text."""
    if match := _DATE.match(text) or _COMPACT.match(text):
        year, month, day = (int(part) for part in match.groups())
        return year, month, day, None
    if match := _ERA_DATE.match(text.upper() if text[:1].isascii() else text):
        era, year_text, month_text, day_text = match.groups()
        name = _ERA_NAMES.get(era, era)
        year = ERAS[name] + (1 if year_text == "元" else int(year_text))
        return year, int(month_text), int(day_text), name
    raise _not_a_date(text)


def parse_date(value, *, serials: bool = True) -> datetime.date | None:
    """Read a date cell, an Excel serial, 2027/03/31, 20270331, 令和9年3月31日 or R9.3.31.

    A form passes serials=False: a person typing 45000 does not mean a day in 2023.
    """
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _serial(int(value), str(value))
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if match := _TIME.match(text):
        text = match.group(1)
    text = re.sub(r"\s+", "", text)
    if not text:
        return None
    if serials and (match := _SERIAL.match(text)):
        return _serial(int(match.group(1)), text)
    year, month, day, era = _split(text)
    try:
        result = datetime.date(year, month, day)
    except ValueError as error:
        raise ValidationError(
            _("“%(value)s” is not a real date."), code="date", params={"value": text}
        ) from error
    return _in_era(text, era, result) if era else result


def age_warnings(birth_date: datetime.date | None, today: datetime.date) -> list[SoftWarning]:
    """Warn when a birth date makes a worker younger than 15 or older than 90 today."""
    if birth_date is None:
        return []
    birthday_to_come = (today.month, today.day) < (birth_date.month, birth_date.day)
    age = today.year - birth_date.year - birthday_to_come
    if YOUNGEST <= age <= OLDEST:
        return []
    message = _(
        "This birth date makes the worker %(age)s years old. Check the year: a 和暦 year in "
        "the wrong era, or the year of entry instead of birth, is a common slip."
    ) % {"age": age}
    return [SoftWarning("birth_date_age", message)]
