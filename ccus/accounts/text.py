"""Normalisers of what people type and paste: digits, readings (kana), phones and search keys."""

import re
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.utils.translation import gettext as _

# Whitespace and every dash people type between digit groups, including the katakana long
# vowel mark (ー, ｰ) that Japanese IMEs produce for "-".
DASHES = "\\-\u2010-\u2015\u2212\u30fc\uff70\ufe63\uff0d"
_SEPARATORS = re.compile(rf"[\s{DASHES}]+")
_DASH = re.compile(rf"[{DASHES}]")
_SPACES = re.compile(r"\s+")
# Spaces and brackets between the groups of digits are where people mean a hyphen.
_PHONE_GAP = re.compile(r"(?<=[0-9])\s*[()\s]\s*(?=[0-9])")
_PHONE_EDGES = re.compile(r"^\((?=[0-9])|(?<=[0-9])\)$")
_HYPHENS = re.compile(r"-{2,}")
# Fillers that render as nothing although Unicode calls them letters.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
_HIRAGANA = {code: code + 0x60 for code in range(ord("ぁ"), ord("ゖ") + 1)} | {
    ord("ゝ"): "ヽ",
    ord("ゞ"): "ヾ",
}


def strip_invisible(value: str) -> str:
    """Drop format characters pasted along with text: zero-width spaces, BOM, soft hyphens."""
    if value.isascii() or value.isprintable():  # none is ASCII or printable; most cells are
        return value
    return "".join(ch for ch in value if unicodedata.category(ch) != "Cf")


def is_invisible(character: str) -> bool:
    """Tell whether a character shows nothing on screen (control, filler, lone mark, space)."""
    category = unicodedata.category(character)
    return (
        not character.isprintable()
        or category in {"Mn", "Me", "Cf", "Co", "Cn", "Zs", "Zl", "Zp"}
        or character in _BLANK_LETTERS
    )


def describe_character(character: str) -> str:
    """Return the character as a person can read it: itself, or “an invisible character”."""
    return _("an invisible character") if is_invisible(character) else character


def _normalize_once(value: str) -> str:
    """Apply NFKC, then drop every invisible format character and every separator."""
    return _SEPARATORS.sub("", strip_invisible(unicodedata.normalize("NFKC", value)))


def settled(step, value: str) -> str:
    """Apply step until nothing changes, so that every normaliser is idempotent."""
    # Dropping a character can leave a base letter next to a combining mark that NFKC then
    # composes, or a bracket at the edge that the next pass removes.
    current = value or ""
    while (following := step(current)) != current:
        current = following
    return current


# What the normalisers remembered within remembering_texts(); None outside it.
_remembered: ContextVar[dict | None] = ContextVar("remembered_texts", default=None)


@contextmanager
def remembering_texts() -> Iterator[None]:
    """Within, pure normalisers compute each distinct text once; on leaving, all is forgotten.

    Meant for a chunk of a roster, whose cells and checks repeat the same texts: IDs, codes and
    addresses are secrets, so they are never kept beyond the work that needs them.
    """
    token = _remembered.set({})
    try:
        yield
    finally:
        _remembered.reset(token)


def per_text(normalise: Callable[[str], str]) -> Callable[[str], str]:
    """Let a pure normaliser remember its result per distinct text within remembering_texts().

    Only a plain str is remembered; a subclass (NumberText, SafeString) is normalised anew, so
    that what one caller passed never comes back to another.
    """

    @wraps(normalise)
    def wrapper(value: str) -> str:
        remembered = _remembered.get()
        if remembered is None or value.__class__ is not str:
            return normalise(value)
        key = (normalise, value)
        if key not in remembered:
            remembered[key] = normalise(value)
        return remembered[key]

    return wrapper


@per_text
def normalize_digits(value: str) -> str:
    """Turn full-width characters into ASCII, drop spaces, dashes and invisible characters."""
    return settled(_normalize_once, value)


def _kana_once(value: str) -> str:
    text = unicodedata.normalize("NFKC", strip_invisible(value)).translate(_HIRAGANA)
    return _SPACES.sub(" ", text).strip()


@per_text
def normalize_kana(value: str) -> str:
    """Return a reading (フリガナ) as full-width katakana, whatever width or script was typed."""
    return settled(_kana_once, value)


def search_key(value: str) -> str:
    """Return the form of a name or reading that searches compare: katakana, no spaces, lower."""
    return _SPACES.sub("", normalize_kana(value)).lower()


def _phone_once(value: str) -> str:
    text = strip_invisible(unicodedata.normalize("NFKC", value)).strip()
    text = _PHONE_GAP.sub("-", _DASH.sub("-", text))
    return _HYPHENS.sub("-", _PHONE_EDGES.sub("", text)).strip("-")


@per_text
def normalize_phone(value: str) -> str:
    """Return a phone number in half-width digits and hyphens: （０３）１２３４ → 03-1234."""
    return settled(_phone_once, value)
