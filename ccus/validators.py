"""Validation of CCUS IDs, security codes, hints and registered emails (DESIGN section 5)."""

import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

CCUS_ID_LENGTH = 14
SECURITY_CODE_LENGTH = 4

# Whitespace and every dash people type between digit groups, including the katakana long
# vowel mark (ー, ｰ) that Japanese IMEs produce for "-".
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212\u30fc\uff70\ufe63\uff0d]+")
_ASCII_DIGITS = re.compile(r"[0-9]+")

ID_KIND_LABELS = {"worker": _("worker ID"), "company": _("business ID")}

MOBILE_CARRIER_DOMAINS = frozenset(
    {
        "docomo.ne.jp",
        "ezweb.ne.jp",
        "au.com",
        "biz.au.com",
        "softbank.ne.jp",
        "i.softbank.jp",
        "vodafone.ne.jp",
        "ymobile.ne.jp",
        "y-mobile.ne.jp",
        "emnet.ne.jp",
        "disney.ne.jp",
        "willcom.com",
        "pdx.ne.jp",
        "wcm.ne.jp",
        "rakumail.jp",
        "uqmobile.jp",
    }
)


@dataclass(frozen=True)
class SoftWarning:
    """Something worth telling the user that does not stop a save."""

    code: str
    message: str


def normalize_digits(value: str) -> str:
    """Turn full-width characters into ASCII and drop spaces and dashes."""
    stripped = _SEPARATORS.sub("", unicodedata.normalize("NFKC", value or ""))
    # Dropping a space can leave a combining mark next to a letter: compose once more.
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", stripped))


normalize_ccus_id = normalize_digits


def _is_ascii_digits(value: str) -> bool:
    return _ASCII_DIGITS.fullmatch(value) is not None


def card_number_reading(value: str) -> str | None:
    """Return the leftmost 14 digits of a longer all-digit number (a CCUS card number)."""
    digits = normalize_digits(value)
    if _is_ascii_digits(digits) and len(digits) > CCUS_ID_LENGTH:
        return digits[:CCUS_ID_LENGTH]
    return None


def validate_ccus_id(value: str, kind: str = "worker") -> str:
    """Return the normalised 14-digit ID, or raise a ValidationError that says how to fix it."""
    digits = normalize_digits(value)
    label = ID_KIND_LABELS[kind]
    if not digits:
        raise ValidationError(
            _("Enter the 14-digit %(label)s."), code="required", params={"label": label}
        )
    others = list(dict.fromkeys(ch for ch in digits if not ("0" <= ch <= "9")))
    if others:
        raise ValidationError(
            _("Only digits can be entered. Remove: %(characters)s"),
            code="invalid_characters",
            params={"characters": "、".join(others)},
        )
    length = len(digits)
    if length < CCUS_ID_LENGTH:
        raise ValidationError(
            _("%(length)s digits. Enter the 14-digit number."),
            code="too_short",
            params={"length": length},
        )
    if length > CCUS_ID_LENGTH and kind == "worker":
        raise ValidationError(
            _(
                "%(length)s digits. If this is the number on the CCUS card, its leftmost 14 "
                "digits (%(reading)s) are the worker ID: check the card and enter those 14 digits."
            ),
            code="card_number",
            params={"length": length, "reading": digits[:CCUS_ID_LENGTH]},
        )
    if length > CCUS_ID_LENGTH:
        raise ValidationError(
            _("%(length)s digits. Enter the 14-digit number."),
            code="too_long",
            params={"length": length},
        )
    return digits


@deconstructible
class CcusIdValidator:
    """Validate a 事業者ID or 技能者ID on a form or model field."""

    def __init__(self, kind: str = "worker") -> None:
        self.kind = kind

    def __call__(self, value: str) -> None:
        validate_ccus_id(value, kind=self.kind)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CcusIdValidator) and other.kind == self.kind


_email_syntax = EmailValidator()


def validate_registered_email(value: str) -> str:
    """Return the address with full-width characters made ASCII, or raise if it is malformed."""
    address = unicodedata.normalize("NFKC", value or "").strip()
    try:
        _email_syntax(address)
    except ValidationError as error:
        raise ValidationError(
            _("This is not an email address. Enter it in the form name@example.jp."),
            code="invalid",
        ) from error
    return address


def email_index_value(value: str) -> str:
    """Return the form of an address compared for equality: NFKC, trimmed, lower case."""
    return unicodedata.normalize("NFKC", value or "").strip().lower()


def security_code_warnings(value: str) -> list[SoftWarning]:
    """Warn when a security code is not 4 digits (CCUS codes are, as far as is known)."""
    digits = normalize_digits(value)
    if not digits or (len(digits) == SECURITY_CODE_LENGTH and _is_ascii_digits(digits)):
        return []
    message = _("A CCUS security code is usually 4 digits. Check the back of the card.")
    return [SoftWarning("security_code_format", str(message))]


def hint_looks_like_code(hint: str) -> bool:
    """Tell whether a hint is itself 4 digits, i.e. the security code rather than a hint."""
    digits = normalize_digits(hint)
    return len(digits) == SECURITY_CODE_LENGTH and _is_ascii_digits(digits)


def hint_warnings(hint: str) -> list[SoftWarning]:
    """Warn when the hint is probably the security code itself."""
    if not hint_looks_like_code(hint):
        return []
    message = _(
        "This hint is 4 digits: it is probably the security code itself. Save it as the "
        "security code, which is shown only on purpose, and keep the hint for a reminder."
    )
    return [SoftWarning("hint_is_code", str(message))]


def _domain_of(address: str) -> str:
    return email_index_value(address).rpartition("@")[2]


def email_warnings(value: str) -> list[SoftWarning]:
    """Warn when the address is at a mobile carrier, whose filters often drop mail from PCs."""
    domain = _domain_of(value)
    parts = domain.split(".")
    candidates = {".".join(parts[i:]) for i in range(len(parts))}
    if not candidates & MOBILE_CARRIER_DOMAINS:
        return []
    message = _(
        "This is a mobile-phone address. Carriers often block mail sent from PCs, so the CCUS "
        "password-reset mail may not arrive: allow mail from ccus.jp or use another address."
    )
    return [SoftWarning("mobile_carrier", str(message))]
