"""Read one roster cell into the value the vault stores, with its error or warnings."""

import datetime
import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from ccus.accounts.addresses import (
    email_warnings,
    has_odd_dots,
    normalize_registered_email,
    validate_registered_email,
)
from ccus.accounts.dates import age_warnings, parse_date
from ccus.accounts.text import normalize_kana, normalize_phone, per_text
from ccus.accounts.validators import (
    excel_id_warnings,
    normalize_ccus_id,
    offered_reading,
    validate_ccus_id,
)
from ccus.rosters.read import NumberText

DATE_FIELDS = {"birth_date", "card_expires_on", "registration_expires_on"}
ID_FIELDS = {"ccus_id", "company_ccus_id"}
# Free text kept as typed (㈱ stays ㈱); only digits, IDs, codes, readings and phones change.
AS_TYPED = {"name", "address", "responsible_person"}
# The same few dates fill a roster's rows (a card term, 和暦 birth years): read each text once
# per chunk (see remembering_texts).
_text_date = per_text(parse_date)


@dataclass
class CellReading:
    """What one row's cells became: values, errors and warnings per field, an ID to offer."""

    values: dict = field(default_factory=dict)
    errors: dict = field(default_factory=dict)
    warnings: dict = field(default_factory=dict)
    candidate: str | None = None  # the 14 digits to accept with one click for the ID cell


def _text(value) -> str:
    return unicodedata.normalize("NFKC", str(value)).strip() if value != "" else ""


def _read_id(name: str, raw, reading: CellReading, kind: str, accepted: str | None) -> None:
    text = _text(raw)
    id_kind = "company" if name == "company_ccus_id" else kind
    if not normalize_ccus_id(text):
        reading.values[name] = None
        return
    try:  # checked once: a refusal may offer the 14 digits the person can accept instead
        valid, refused = validate_ccus_id(text, kind=id_kind), None
    except ValidationError as error:
        valid, refused = None, error
    candidate = offered_reading(refused) if refused is not None else None
    if name == "ccus_id" and candidate and accepted == candidate:
        reading.values[name] = candidate
        return
    if name == "ccus_id":
        reading.candidate = candidate
    if refused is not None:
        raise refused
    reading.values[name] = valid
    warnings = excel_id_warnings(text, number_cell=isinstance(raw, NumberText))
    if warnings:
        reading.warnings[name] = " ".join(w.message for w in warnings)


def _read_level(text: str) -> int | None:
    if text and text not in {"1", "2", "3", "4"}:
        raise ValidationError(_("The level is 1, 2, 3 or 4."), code="level")
    return int(text) if text else None


def _read_email(raw, reading: CellReading) -> None:
    text = _text(raw)
    reading.values["registered_email"] = validate_registered_email(text) if text else None
    # Only the older carriers' dots are worth a warning here; most addresses have none.
    if text and has_odd_dots(normalize_registered_email(text)):
        warnings = [w for w in email_warnings(text) if w.code == "older_carrier_address"]
        reading.warnings["registered_email"] = warnings[0].message


def _read_date(name: str, raw, reading: CellReading, today: datetime.date | None) -> None:
    reading.values[name] = _text_date(raw)  # a number cell (a serial date) is read anew
    if name != "birth_date" or reading.values[name] is None:
        return
    if warnings := age_warnings(reading.values[name], today or timezone.localdate()):
        reading.warnings[name] = warnings[0].message


def read_cell(
    name: str, raw, reading: CellReading, kind: str, accepted: str | None = None,
    today: datetime.date | None = None,
) -> None:  # fmt: skip
    """Put the stored value of one cell on reading, or its error in Japanese (today: for ages)."""
    if isinstance(raw, str) and raw.strip().startswith("="):
        reading.errors[name] = _("This cell holds a formula. Paste it as a value and upload again.")
        return
    try:
        if name in DATE_FIELDS:
            _read_date(name, raw, reading, today)
        elif name in ID_FIELDS:
            _read_id(name, raw, reading, kind, accepted)
        elif name == "registered_email":
            _read_email(raw, reading)
        elif name == "level":
            reading.values[name] = _read_level(_text(raw))
        elif name == "name_kana":
            reading.values[name] = normalize_kana(str(raw))
        elif name == "phone":
            reading.values[name] = normalize_phone(str(raw))
        elif name in AS_TYPED:
            reading.values[name] = str(raw).strip()
        else:
            reading.values[name] = _text(raw)
    except ValidationError as error:
        reading.errors[name] = " ".join(error.messages)
