"""Validation of IDs, security codes, hints and emails, with properties of normalisation."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import example, given
from hypothesis import strategies as st

from ccus.accounts.addresses import (
    MOBILE_CARRIER_DOMAINS,
    email_index_value,
    email_warnings,
    validate_registered_email,
)
from ccus.accounts.text import normalize_digits
from ccus.accounts.validators import (
    CCUS_ID_LENGTH,
    SECURITY_CODE_LENGTH,
    CcusIdValidator,
    SoftWarning,
    card_number_reading,
    hint_looks_like_code,
    hint_warnings,
    normalize_ccus_id,
    security_code_warnings,
    validate_ccus_id,
)

HYPHENS = ["-", *map(chr, range(0x2010, 0x2016)), "\u2212", "\u30fc", "\uff70", "\ufe63", "\uff0d"]
SPACES = [" ", "\u3000", "\t", "\n", "\u00a0"]
SEPARATORS = HYPHENS + SPACES
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
ID_CODES = {
    "required",
    "invalid_characters",
    "too_short",
    "too_long",
    "card_number",
    "leading_zero",
    "excel_exponent",
}


def _error(value: str, kind: str = "worker") -> ValidationError:
    """Return the ValidationError that validate_ccus_id raises for the value."""
    with pytest.raises(ValidationError) as caught:
        validate_ccus_id(value, kind=kind)
    return caught.value


def test_it_keeps_the_lengths_of_the_rules():
    assert (CCUS_ID_LENGTH, SECURITY_CODE_LENGTH) == (14, 4)


@pytest.mark.parametrize(
    "typed",
    [
        "12345678901234",
        "１２３４５６７８９０１２３４",
        " 1234-5678-9012-34 ",
        "1234 5678 9012 34",
        "1234　5678　9012　34",
        "　１２３４５６７８９０１２３４　",
        "１２３４ー５６７８ー９０１２ー３４",
        "1234ｰ5678ｰ9012ｰ34",
        "1234−5678–9012—34",
        "1234‐5678‑9012‒34",
        "1234―5678﹣9012－34",
        "\t12345678901234\n",
    ],
)
@pytest.mark.parametrize("kind", ["worker", "company"])
def test_it_normalises_what_people_type(typed, kind):
    result = validate_ccus_id(typed, kind=kind)
    assert result == "12345678901234"
    assert type(result) is str


@pytest.mark.parametrize("hyphen", HYPHENS)
def test_it_drops_every_kind_of_hyphen(hyphen):
    assert normalize_digits(f"1234{hyphen}5678{hyphen}{hyphen}9012") == "123456789012"


def test_it_keeps_leading_zeros_as_a_string():
    assert validate_ccus_id("０００００００００００００１") == "00000000000001"
    assert validate_ccus_id("00000000000000", kind="company") == "00000000000000"


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("", ""),
        ("  ", ""),
        ("12a", "12a"),
        ("１２Ａ－３", "12A3"),
        ("12.34", "12.34"),
        ("12_34", "12_34"),
    ],
)
def test_it_keeps_what_is_not_a_separator(typed, normalised):
    assert normalize_digits(typed) == normalised
    assert normalize_ccus_id(typed) == normalised


@pytest.mark.parametrize(
    ("typed", "code", "params"),
    [
        ("1234567890123", "leading_zero", {"length": 13, "reading": "01234567890123"}),
        ("１", "too_short", {"length": 1}),
        ("1234 5678 9012 3", "leading_zero", {"length": 13, "reading": "01234567890123"}),
        ("123456789012", "too_short", {"length": 12}),
        ("1234567890123O", "invalid_characters", {"characters": "O"}),
        ("１２３４５６７８９０１２３Ｏ", "invalid_characters", {"characters": "O"}),
        ("12a4567890b23a", "invalid_characters", {"characters": "a、b"}),
        ("ID:12345678901234", "invalid_characters", {"characters": "I、D、:"}),
        ("1234567890123\x004", "invalid_characters", {"characters": "an invisible character"}),
        ("12345678901\u3164234", "invalid_characters", {"characters": "an invisible character"}),
        ("1234567890123\u0664", "invalid_characters", {"characters": "\u0664"}),
        ("\u0967234567890123", "invalid_characters", {"characters": "\u0967"}),
        ("１２３４５６７８９０１２３４５x", "invalid_characters", {"characters": "x"}),
    ],
)
@pytest.mark.parametrize("kind", ["worker", "company"])
def test_it_says_what_is_wrong(typed, code, params, kind):
    with translation.override("en"):
        error = _error(typed, kind=kind)
    assert (error.code, error.params) == (code, params)


@pytest.mark.parametrize("typed", ["", "   ", "　", " - ー ", "\t\n"])
@pytest.mark.parametrize(("kind", "label"), [("worker", "worker ID"), ("company", "business ID")])
def test_it_asks_for_an_empty_id_by_its_kind(typed, kind, label):
    error = _error(typed, kind=kind)
    assert error.code == "required"
    assert set(error.params) == {"label"}
    with translation.override("en"):
        assert str(error.params["label"]) == label


@pytest.mark.parametrize(
    ("typed", "params"),
    [
        ("123456789012345", {"length": 15, "reading": "12345678901234"}),
        ("123456789012345678", {"length": 18, "reading": "12345678901234"}),
        ("０１２３ ４５６７ ８９０１ ２３４５ ６７", {"length": 18, "reading": "01234567890123"}),
    ],
)
def test_it_offers_the_card_reading_of_a_longer_worker_number(typed, params):
    error = _error(typed, kind="worker")
    assert (error.code, error.params) == ("card_number", params)


@pytest.mark.parametrize(("typed", "length"), [("123456789012345", 15), ("1" * 20, 20)])
def test_it_refuses_a_longer_business_id_without_a_card_reading(typed, length):
    error = _error(typed, kind="company")
    assert (error.code, error.params) == ("too_long", {"length": length})


def test_it_refuses_an_unknown_kind_as_a_programming_error():
    with pytest.raises(ValueError, match="site"):
        validate_ccus_id("12345678901234", kind="site")
    with pytest.raises(ValueError, match="site"):
        CcusIdValidator("site")


def test_it_validates_as_a_field_validator():
    assert CcusIdValidator("company") == CcusIdValidator("company")
    assert CcusIdValidator() == CcusIdValidator("worker")
    assert CcusIdValidator("company") != CcusIdValidator("worker")
    assert hash(CcusIdValidator("company")) == hash(CcusIdValidator("company"))
    assert CcusIdValidator("company")("1234-5678-9012-34") is None
    with pytest.raises(ValidationError) as caught:
        CcusIdValidator()("123456789012345")
    assert caught.value.code == "card_number"
    with pytest.raises(ValidationError) as caught:
        CcusIdValidator("company")("123456789012345")
    assert caught.value.code == "too_long"


def test_it_deconstructs_for_migrations():
    path, args, kwargs = CcusIdValidator("company").deconstruct()
    assert (path, args, kwargs) == ("ccus.accounts.validators.CcusIdValidator", ("company",), {})
    assert CcusIdValidator().deconstruct() == ("ccus.accounts.validators.CcusIdValidator", (), {})


@pytest.mark.parametrize(
    ("typed", "reading"),
    [
        ("123456789012345", "12345678901234"),
        ("98765432109876543210", "98765432109876"),
        ("１２３４５６７８９０１２３４５６", "12345678901234"),
        (" 0000-1111-2222-3333 ", "00001111222233"),
        ("12345678901234", None),
        ("1234567890123", None),
        ("", None),
        ("1234567890123x5", None),
        ("card 123456789012345", None),
    ],
)
def test_it_reads_a_card_number(typed, reading):
    assert card_number_reading(typed) == reading


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        (" Taro＠Example.JP ", "Taro@Example.JP"),
        ("taro＠example.jp", "taro@example.jp"),
        ("ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ", "taro@example.jp"),
        ("ｍ.sato@example.co.jp", "m.sato@example.co.jp"),
        ("　hanako@example.jp　", "hanako@example.jp"),
    ],
)
def test_it_accepts_a_full_width_email(typed, normalised):
    assert validate_registered_email(typed) == normalised


@pytest.mark.parametrize(
    "typed",
    ["", "taro.example.jp", "taro", "taro@", "@example.jp", "taro@@example.jp", "ta ro@example.jp"],
)
def test_it_refuses_a_malformed_email(typed):
    with pytest.raises(ValidationError) as caught:
        validate_registered_email(typed)
    assert caught.value.code == "invalid"


@pytest.mark.parametrize(
    ("typed", "indexed"),
    [
        (" Taro＠Example.JP ", "taro@example.jp"),
        ("TARO@EXAMPLE.JP", "taro@example.jp"),
        ("ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ", "taro@example.jp"),
        ("taro@example.jp", "taro@example.jp"),
    ],
)
def test_it_indexes_an_email_in_lower_case(typed, indexed):
    assert email_index_value(typed) == indexed


@pytest.mark.parametrize(
    ("code", "warned"),
    [
        ("4821", False),
        ("0000", False),
        ("４８２１", False),
        (" 48-21 ", False),
        ("", False),
        ("   ", False),
        ("482", True),
        ("48211", True),
        ("48a1", True),
        ("abcd", True),
    ],
)
def test_it_warns_of_a_security_code_that_is_not_four_digits(code, warned):
    warnings = security_code_warnings(code)
    assert [w.code for w in warnings] == (["security_code_format"] if warned else [])
    assert all(isinstance(w, SoftWarning) and w.message for w in warnings)


@pytest.mark.parametrize(
    ("hint", "is_code"),
    [
        ("1234", True),
        ("0000", True),
        ("１２－３４", True),
        (" 12 34 ", True),
        ("金庫", False),
        ("金庫の1234", True),
        ("カード裏 0123", True),
        ("カード裏 ０１－２３", True),
        ("2024年に変更した", True),
        ("123", False),
        ("12345", False),
        ("", False),
    ],
)
def test_it_flags_a_hint_that_is_the_code(hint, is_code):
    assert hint_looks_like_code(hint) is is_code
    warnings = hint_warnings(hint)
    assert [w.code for w in warnings] == (["hint_is_code"] if is_code else [])
    assert all(w.message for w in warnings)


def test_it_knows_the_mobile_carrier_domains():
    assert {
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
    } == MOBILE_CARRIER_DOMAINS


@pytest.mark.parametrize("domain", sorted(MOBILE_CARRIER_DOMAINS))
def test_it_warns_of_every_carrier_domain_and_its_subdomains(domain):
    for address in (f"taro@{domain}", f"taro@t.{domain}", f"TARO@{domain.upper()}"):
        assert [w.code for w in email_warnings(address)] == ["mobile_carrier"]


@pytest.mark.parametrize(
    ("address", "warned"),
    [
        ("taro@t.vodafone.ne.jp", True),
        ("ｔａｒｏ＠ｄｏｃｏｍｏ．ｎｅ．ｊｐ", True),
        (" taro@ezweb.ne.jp ", True),
        ("taro@example.jp", False),
        ("taro@notdocomo.ne.jp", False),
        ("taro@docomo.ne.jp.example.com", False),
        ("taro@myau.com", False),
        ("taro@gmail.com", False),
        ("docomo.ne.jp", False),
        ("", False),
    ],
)
def test_it_warns_of_mobile_carrier_addresses_only(address, warned):
    assert [w.code for w in email_warnings(address)] == (["mobile_carrier"] if warned else [])


# Properties of normalisation.
id_digits = st.text(alphabet="0123456789", min_size=14, max_size=14)
separator_runs = st.text(alphabet=SEPARATORS, max_size=3)


@given(
    digits=id_digits,
    widen=st.lists(st.booleans(), min_size=14, max_size=14),
    separators=st.lists(separator_runs, min_size=15, max_size=15),
    kind=st.sampled_from(["worker", "company"]),
)
def test_it_recovers_the_digits_from_any_typing(digits, widen, separators, kind):
    typed = separators[0]
    for digit, wide, separator in zip(digits, widen, separators[1:], strict=True):
        typed += (digit.translate(FULL_WIDTH) if wide else digit) + separator
    assert validate_ccus_id(typed, kind=kind) == digits


@given(st.text())
@example("e \u0301")
@example("\u1100 \u1161")
def test_it_normalises_idempotently(text):
    once = normalize_digits(text)
    assert normalize_digits(once) == once


@given(st.text(), st.sampled_from(["worker", "company"]))
@example("12345678901234", "worker")
@example("123456789012345", "worker")
@example("1234567890123\u0664", "company")
def test_it_returns_fourteen_ascii_digits_or_a_validation_error(text, kind):
    try:
        result = validate_ccus_id(text, kind=kind)
    except ValidationError as error:
        assert error.code in ID_CODES
    else:
        assert type(result) is str
        assert len(result) == 14 and result.isascii() and result.isdigit()


@given(st.one_of(st.text(), st.text(alphabet="0123456789０１２３４５６７８９ -ーx", max_size=40)))
@example("123456789012345")
def test_it_reads_a_card_number_only_as_a_prefix(text):
    reading = card_number_reading(text)
    normalised = normalize_digits(text)
    if reading is None:
        assert not (normalised.isascii() and normalised.isdigit() and len(normalised) > 14)
    else:
        assert len(reading) == 14 and reading.isascii() and reading.isdigit()
        assert normalised.startswith(reading) and len(normalised) > 14
