"""Validation of IDs, security codes, hints and emails, with properties of normalisation."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from ccus.validators import (
    CcusIdValidator,
    card_number_reading,
    email_index_value,
    email_warnings,
    hint_looks_like_code,
    hint_warnings,
    normalize_digits,
    security_code_warnings,
    validate_ccus_id,
    validate_registered_email,
)

SEPARATORS = [" ", "　", "\t", "-", "‐", "‑", "‒", "–", "—", "―", "−", "ー", "ｰ", "﹣", "－"]
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _error(value: str, kind: str = "worker") -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        validate_ccus_id(value, kind=kind)
    return caught.value


@pytest.mark.parametrize(
    "typed",
    [
        "12345678901234",
        "１２３４５６７８９０１２３４",
        " 1234-5678-9012-34 ",
        "1234 5678 9012 34",
        "１２３４ー５６７８ー９０１２ー３４",
        "1234　5678　9012　34",
        "1234−5678–9012—34",
    ],
)
def test_it_normalises_what_people_type(typed):
    assert validate_ccus_id(typed) == "12345678901234"


def test_it_keeps_leading_zeros_as_a_string():
    assert validate_ccus_id("０００００００００００００１") == "00000000000001"


@pytest.mark.parametrize(
    ("typed", "code", "params"),
    [
        ("1234567890123", "too_short", {"length": 13}),
        ("", "required", None),
        ("  -  ", "required", None),
        ("1234567890123O", "invalid_characters", {"characters": "O"}),
        ("12a4567890b23a", "invalid_characters", {"characters": "a、b"}),
    ],
)
def test_it_says_what_is_wrong(typed, code, params):
    error = _error(typed)
    assert error.code == code
    if params is not None:
        assert error.params == params


def test_it_offers_the_card_reading_of_a_longer_worker_number():
    error = _error("123456789012345678")
    assert error.code == "card_number"
    assert error.params == {"length": 18, "reading": "12345678901234"}


def test_it_refuses_a_longer_business_id_without_a_card_reading():
    error = _error("123456789012345", kind="company")
    assert (error.code, error.params) == ("too_long", {"length": 15})


def test_it_speaks_japanese_by_default():
    with translation.override("ja"):
        assert _error("1234567890123").messages == ["13桁です。14桁の数字を入力してください。"]
        assert "12345678901234" in _error("123456789012345678").messages[0]


def test_it_validates_as_a_field_validator():
    assert CcusIdValidator("company") == CcusIdValidator("company")
    assert CcusIdValidator("company") != CcusIdValidator("worker")
    with pytest.raises(ValidationError):
        CcusIdValidator()("123")


@pytest.mark.parametrize(
    ("typed", "reading"),
    [
        ("123456789012345", "12345678901234"),
        ("１２３４５６７８９０１２３４５６", "12345678901234"),
        ("12345678901234", None),
        ("1234567890123x5", None),
    ],
)
def test_it_reads_a_card_number(typed, reading):
    assert card_number_reading(typed) == reading


def test_it_accepts_a_full_width_email_and_indexes_it_in_lower_case():
    assert validate_registered_email(" Taro＠Example.JP ") == "Taro@Example.JP"
    assert email_index_value(" Taro＠Example.JP ") == "taro@example.jp"


@pytest.mark.parametrize("typed", ["taro.example.jp", "taro@", "@example.jp", "taro@@example.jp"])
def test_it_refuses_a_malformed_email(typed):
    with pytest.raises(ValidationError) as caught:
        validate_registered_email(typed)
    assert caught.value.code == "invalid"


@pytest.mark.parametrize(
    ("code", "warned"),
    [("4821", False), ("４８２１", False), ("482", True), ("48a1", True), ("", False)],
)
def test_it_warns_of_a_security_code_that_is_not_four_digits(code, warned):
    assert bool(security_code_warnings(code)) is warned


@pytest.mark.parametrize(
    ("hint", "is_code"), [("1234", True), ("１２－３４", True), ("金庫", False), ("12345", False)]
)
def test_it_flags_a_hint_that_is_the_code(hint, is_code):
    assert hint_looks_like_code(hint) is is_code
    assert [w.code for w in hint_warnings(hint)] == (["hint_is_code"] if is_code else [])


@pytest.mark.parametrize(
    ("address", "warned"),
    [
        ("taro@docomo.ne.jp", True),
        ("taro@ezweb.ne.jp", True),
        ("taro@i.softbank.jp", True),
        ("taro@t.vodafone.ne.jp", True),
        ("taro@EZWEB.NE.JP", True),
        ("taro@example.jp", False),
        ("taro@notdocomo.ne.jp", False),
        ("taro@gmail.com", False),
    ],
)
def test_it_warns_of_mobile_carrier_addresses(address, warned):
    assert [w.code for w in email_warnings(address)] == (["mobile_carrier"] if warned else [])


# Properties of normalisation.
id_digits = st.text(alphabet="0123456789", min_size=14, max_size=14)


@given(
    digits=id_digits,
    widen=st.lists(st.booleans(), min_size=14, max_size=14),
    separators=st.lists(st.sampled_from(["", *SEPARATORS]), min_size=15, max_size=15),
)
def test_it_recovers_the_digits_from_any_typing(digits, widen, separators):
    typed = separators[0]
    for digit, wide, separator in zip(digits, widen, separators[1:], strict=True):
        typed += (digit.translate(FULL_WIDTH) if wide else digit) + separator
    assert validate_ccus_id(typed) == digits


@given(st.text())
def test_it_normalises_idempotently(text):
    assert normalize_digits(normalize_digits(text)) == normalize_digits(text)


@given(st.text())
def test_it_returns_fourteen_ascii_digits_or_a_validation_error(text):
    try:
        result = validate_ccus_id(text)
    except ValidationError as error:
        assert error.code in {"required", "invalid_characters", "too_short", "card_number"}
    else:
        assert len(result) == 14 and result.isascii() and result.isdigit()


@given(st.text(alphabet="0123456789０１２３４５６７８９ -ー", max_size=40))
def test_it_reads_a_card_number_only_as_a_prefix(text):
    reading = card_number_reading(text)
    assert reading is None or (len(reading) == 14 and normalize_digits(text).startswith(reading))
