"""Validation of CCUS IDs, security codes, hints and registered emails (DESIGN section 5)."""

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ccus.accounts.text import describe_character, normalize_digits, per_text, strip_invisible

CCUS_ID_LENGTH = 14
SECURITY_CODE_LENGTH = 4

ID_KIND_LABELS = {"worker": _("worker ID"), "company": _("business ID")}


@dataclass(frozen=True)
class SoftWarning:
    """Something worth telling the user that does not stop a save."""

    code: str
    message: str


# A number cell that another tool wrote out as a decimal: 12345678901234.0
_NUMBER_CELL_SUFFIX = re.compile(r"^([0-9]+)\.0+$")
# Excel's display of a big number: 1.23457E+13 (General format keeps six significant digits).
_EXPONENT = re.compile(r"^([0-9])(?:\.([0-9]+))?E\+?([0-9]{1,2})$", re.IGNORECASE)
EXCEL_SHOWN_DIGITS = 6
ROUNDED_ZEROS = 6
_ASCII_DIGITS = re.compile(r"[0-9]+")


@per_text
def normalize_ccus_id(value: str) -> str:
    """Return the digits of an ID as typed or pasted: also drops a number cell's “.0”."""
    digits = normalize_digits(value)
    match = _NUMBER_CELL_SUFFIX.match(digits)
    return match.group(1) if match else digits


def _exponent(text: str) -> tuple[str, int] | None:
    """Return the whole number an exponent text stands for and the count of digits written."""
    match = _EXPONENT.match(text)
    if not match:
        return None
    # The digits written before the exponent: Excel's display keeps six, other tools all 14.
    significant = len(match.group(1) + (match.group(2) or ""))
    number = Decimal(text.upper())
    if number != number.to_integral_value():
        return None
    return str(int(number)), significant


def _is_ascii_digits(value: str) -> bool:
    """Tell whether the value is one or more ASCII digits and nothing else."""
    return _ASCII_DIGITS.fullmatch(value) is not None


def _non_digits(value: str) -> list[str]:
    """Return the characters that are not ASCII digits, once each, in words a person reads."""
    return list(dict.fromkeys(describe_character(ch) for ch in value if not "0" <= ch <= "9"))


def card_number_reading(value: str) -> str | None:
    """Return the leftmost 14 digits of a longer all-digit number (a CCUS card number)."""
    digits = normalize_ccus_id(value)
    if _is_ascii_digits(digits) and len(digits) > CCUS_ID_LENGTH:
        return digits[:CCUS_ID_LENGTH]
    return None


def _kind_label(kind: str) -> Promise:
    """Return the translated name of an ID kind; refuse a kind that does not exist."""
    try:
        return ID_KIND_LABELS[kind]
    except KeyError:
        raise ValueError(f"kind must be one of {sorted(ID_KIND_LABELS)}, not {kind!r}") from None


def _length_error(digits: str, kind: str) -> ValidationError:
    """Return the error for an all-digit value that is not 14 digits long."""
    length = len(digits)
    if length == CCUS_ID_LENGTH - 1:
        return ValidationError(
            _(
                "%(length)s digits. If this number went through Excel, Excel probably dropped "
                "a leading 0: the 14-digit ID would be %(reading)s. Check it on the card or the "
                "completion notice before using it."
            ),
            code="leading_zero",
            params={"length": length, "reading": "0" + digits},
        )
    if length < CCUS_ID_LENGTH:
        return ValidationError(
            _("%(length)s digits. Enter the 14-digit number."),
            code="too_short",
            params={"length": length},
        )
    if kind == "worker":
        return ValidationError(
            _(
                "%(length)s digits. If this is the number on the CCUS card, its leftmost 14 "
                "digits (%(reading)s) are the worker ID: check the card and enter those 14 digits."
            ),
            code="card_number",
            params={"length": length, "reading": digits[:CCUS_ID_LENGTH]},
        )
    return ValidationError(
        _("%(length)s digits. Enter the 14-digit number."),
        code="too_long",
        params={"length": length},
    )


def validate_ccus_id(value: str, kind: str = "worker") -> str:
    """Return the normalised 14-digit ID, or raise a ValidationError that says how to fix it."""
    label = _kind_label(kind)
    digits = normalize_ccus_id(value)
    if not digits:
        raise ValidationError(
            _("Enter the 14-digit %(label)s."), code="required", params={"label": label}
        )
    if exponent := _exponent(digits):
        digits, significant = exponent
        if significant <= EXCEL_SHOWN_DIGITS:
            raise ValidationError(
                _(
                    "“%(value)s” is how Excel shows a long number: Excel has already lost the "
                    "last digits of the ID, so they cannot be read back from this file. Type the "
                    "ID again from the CCUS card or the completion notice, with the column set "
                    "to text (書式: 文字列) in Excel."
                ),
                code="excel_exponent",
                params={"value": value.strip()},
            )
    others = _non_digits(digits)
    if others:
        raise ValidationError(
            _("Only digits can be entered. Found: %(characters)s"),
            code="invalid_characters",
            params={"characters": "、".join(others)},
        )
    if len(digits) != CCUS_ID_LENGTH:
        raise _length_error(digits, kind)
    return digits


def offered_reading(error: ValidationError) -> str | None:
    """Return the 14 digits to offer for an ID refused as a card number or as 13 digits."""
    if error.code in ("card_number", "leading_zero"):
        return error.params["reading"]
    return None


def id_candidate(value: str, kind: str = "worker") -> str | None:
    """Return the 14 digits to offer for a value refused as a card number or as 13 digits."""
    try:
        validate_ccus_id(value, kind=kind)
    except ValidationError as error:
        return offered_reading(error)
    return None


def excel_id_warnings(value: str, *, number_cell: bool = False) -> list[SoftWarning]:
    """Warn when an accepted ID came through a number cell or exponent text and may be rounded."""
    digits = normalize_ccus_id(value)
    exponent = _exponent(digits)
    number_cell = number_cell or digits != normalize_digits(value)
    if exponent:
        digits = exponent[0]
    if len(digits) != CCUS_ID_LENGTH or not _is_ascii_digits(digits):
        return []
    short = exponent is not None and exponent[1] < CCUS_ID_LENGTH
    if not (short or ((number_cell or exponent) and digits.endswith("0" * ROUNDED_ZEROS))):
        return []
    message = _(
        "%(digits)s came from a number in Excel and ends in zeros: Excel may have rounded the "
        "last digits. Check the ID on the CCUS card or the completion notice."
    ) % {"digits": digits}
    return [SoftWarning("excel_rounded", str(message))]


@deconstructible
class CcusIdValidator:
    """Validate a 事業者ID or 技能者ID on a form or model field."""

    def __init__(self, kind: str = "worker") -> None:
        _kind_label(kind)
        self.kind = kind

    def __call__(self, value: str) -> None:
        validate_ccus_id(value, kind=self.kind)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CcusIdValidator) and other.kind == self.kind

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.kind))


def security_code_warnings(value: str) -> list[SoftWarning]:
    """Warn when a security code is not 4 digits (CCUS codes are, as far as is known)."""
    digits = normalize_digits(value)
    if not digits or (len(digits) == SECURITY_CODE_LENGTH and _is_ascii_digits(digits)):
        return []
    message = _(
        "A CCUS security code is usually 4 digits. Check what was entered: a worker's code is "
        "printed on the back of the CCUS card."
    )
    return [SoftWarning("security_code_format", str(message))]


def normalize_security_code(value: str) -> str:
    """Return a security code as stored: ASCII digits (０１２３ → 0123), no spaces or dashes."""
    return normalize_digits(value)


# Runs of digits, allowing the spaces and dashes people put between them.
_DIGIT_RUNS = re.compile(r"[0-9](?:[\s\-ー－]*[0-9])*")


def hint_looks_like_code(hint: str, code: str | None = None) -> bool:
    """Tell whether a hint holds the security code: 4 digits anywhere in it, or the code itself."""
    text = strip_invisible(unicodedata.normalize("NFKC", hint or ""))
    runs = [re.sub(r"[^0-9]", "", run) for run in _DIGIT_RUNS.findall(text)]
    if any(len(run) == SECURITY_CODE_LENGTH for run in runs):
        return True
    stored = normalize_security_code(code or "")
    return len(stored) == SECURITY_CODE_LENGTH and any(stored in run for run in runs)


def hint_warnings(hint: str, code: str | None = None) -> list[SoftWarning]:
    """Warn when the hint probably holds the security code itself."""
    if not hint_looks_like_code(hint, code):
        return []
    message = _(
        "This hint holds 4 digits, so it probably holds the security code itself. Enter the code "
        "in the security code field instead, where it stays masked until someone reveals it, "
        "and keep the hint for a reminder of where the code is. Until then only owners and "
        "admins can show this hint."
    )
    return [SoftWarning("hint_is_code", str(message))]
