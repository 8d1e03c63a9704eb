"""Validation of CCUS IDs, security codes, hints and registered emails (DESIGN section 5)."""

import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.deconstruct import deconstructible
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

CCUS_ID_LENGTH = 14
SECURITY_CODE_LENGTH = 4

# Whitespace and every dash people type between digit groups, including the katakana long
# vowel mark (ー, ｰ) that Japanese IMEs produce for "-".
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212\u30fc\uff70\ufe63\uff0d]+")
_ASCII_DIGITS = re.compile(r"[0-9]+")

ID_KIND_LABELS = {"worker": _("worker ID"), "company": _("business ID")}

# Japanese mobile-carrier mail domains; any subdomain (e.g. t.vodafone.ne.jp) counts too.
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


def _normalize_once(value: str) -> str:
    """Apply NFKC, then drop every separator."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", value))


def normalize_digits(value: str) -> str:
    """Turn full-width characters into ASCII and drop spaces and dashes; keep anything else."""
    current = value or ""
    # Dropping a separator can leave a base letter next to a combining mark that NFKC then
    # composes, so repeat until nothing changes: this makes the function idempotent.
    while (following := _normalize_once(current)) != current:
        current = following
    return current


normalize_ccus_id = normalize_digits


def _is_ascii_digits(value: str) -> bool:
    """Tell whether the value is one or more ASCII digits and nothing else."""
    return _ASCII_DIGITS.fullmatch(value) is not None


def _visible(character: str) -> str:
    """Return the character, or its code point when it cannot be seen on screen."""
    return character if character.isprintable() else f"U+{ord(character):04X}"


def _non_digits(value: str) -> list[str]:
    """Return the characters that are not ASCII digits, once each, in order of appearance."""
    return list(dict.fromkeys(_visible(ch) for ch in value if not "0" <= ch <= "9"))


def card_number_reading(value: str) -> str | None:
    """Return the leftmost 14 digits of a longer all-digit number (a CCUS card number)."""
    digits = normalize_digits(value)
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
    digits = normalize_digits(value)
    if not digits:
        raise ValidationError(
            _("Enter the 14-digit %(label)s."), code="required", params={"label": label}
        )
    others = _non_digits(digits)
    if others:
        raise ValidationError(
            _("Only digits can be entered. Remove: %(characters)s"),
            code="invalid_characters",
            params={"characters": "、".join(others)},
        )
    if len(digits) != CCUS_ID_LENGTH:
        raise _length_error(digits, kind)
    return digits


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
    message = _(
        "A CCUS security code is usually 4 digits. Check what was entered: a worker's code is "
        "printed on the back of the CCUS card."
    )
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
        "This hint is 4 digits, so it is probably the security code itself. Enter it in the "
        "security code field instead, where it stays masked until someone reveals it, and keep "
        "the hint for a reminder of where the code is."
    )
    return [SoftWarning("hint_is_code", str(message))]


def _parent_domains(address: str) -> set[str]:
    """Return the domain of an address and every parent domain of it, in lower case."""
    _local, at, domain = email_index_value(address).rpartition("@")
    if not at:
        return set()
    parts = domain.rstrip(".").split(".")
    return {".".join(parts[i:]) for i in range(len(parts))}


def email_warnings(value: str) -> list[SoftWarning]:
    """Warn when the address is at a mobile carrier, whose filters often drop mail from PCs."""
    if not _parent_domains(value) & MOBILE_CARRIER_DOMAINS:
        return []
    message = _(
        "This is a mobile-phone address. Carriers often block mail sent from PCs, so the CCUS "
        "password-reset mail may not arrive: allow mail from ccus.jp or use another address."
    )
    return [SoftWarning("mobile_carrier", str(message))]
