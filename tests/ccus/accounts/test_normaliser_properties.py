"""Properties of the ID, email, code and reading normalisers on what offices paste."""

import re

from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ccus.accounts.addresses import normalize_registered_email, validate_registered_email
from ccus.accounts.text import normalize_kana, search_key
from ccus.accounts.validators import (
    normalize_ccus_id,
    normalize_security_code,
    validate_ccus_id,
)

# The characters real office data is made of: digits of both widths, every dash and space,
# invisible characters pasted along, Excel's artefacts, kana of every width, email punctuation.
PIECES = (
    "0123456789０１２３４５６７８９"
    "-‐‑‒–—―−ーｰ－﹣ \u3000\t\u00a0"
    "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\x00\x07\u3164"
    ".EeＥ+＋,、；;<>＜＞@＠"
    "ｱｲｳｶﾞﾊﾟｯｰあいうがぱっゔアイウガパッヴ㈱髙佐々木"
    "abcxyzＡＢＣ"
)
office_text = st.text(alphabet=PIECES, max_size=40)
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def _refused_in_japanese(error: ValidationError) -> None:
    with translation.override("ja"):
        messages = [str(message) for message in error.messages]
    assert messages
    for message in messages:
        assert JAPANESE.search(message), message
        assert "U+" not in message, message


@settings(max_examples=200, deadline=None)
@given(office_text, st.sampled_from(["worker", "company"]))
@example("1.23457E+13", "worker")
@example("12345678901234.0", "company")
@example("1234\u200b5678\ufeff9012\u00ad34", "worker")
@example("123456789012\x0734", "worker")
def test_it_normalises_an_id_idempotently_and_refuses_it_in_japanese(text, kind):
    once = normalize_ccus_id(text)
    assert normalize_ccus_id(once) == once
    try:
        with translation.override("ja"):
            digits = validate_ccus_id(text, kind=kind)
    except ValidationError as error:
        _refused_in_japanese(error)
    else:
        assert len(digits) == 14 and digits.isascii() and digits.isdigit()
        assert validate_ccus_id(digits, kind=kind) == digits


@settings(max_examples=200, deadline=None)
@given(st.one_of(office_text, st.emails().map(lambda a: a + "\u200b")))
@example("taro.@docomo.ne.jp")
@example("taro..yamada@ezweb.ne.jp")
@example("a@example.jp, b@example.jp")
@example("山田 太郎 <taro@example.jp>")
@example("ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ")
def test_it_normalises_an_email_idempotently_and_refuses_it_in_japanese(text):
    once = normalize_registered_email(text)
    assert normalize_registered_email(once) == once
    try:
        with translation.override("ja"):
            address = validate_registered_email(text)
    except ValidationError as error:
        _refused_in_japanese(error)
    else:
        assert "@" in address and address == address.strip()
        assert validate_registered_email(address) == address


@settings(max_examples=200, deadline=None)
@given(office_text)
@example("０１２３")
@example(" 01-23 ")
@example("ｻｻｷ ｹﾝ")
@example("ささき　けん")
@example("ｶﾞｯｺｳ")
def test_it_normalises_a_code_and_a_reading_idempotently(text):
    code, reading = normalize_security_code(text), normalize_kana(text)
    assert normalize_security_code(code) == code and normalize_kana(reading) == reading
    if re.fullmatch(r"[0-9０-９\s\-ー－]*", text):
        assert code.isascii()
    assert not re.search(r"[\u3041-\u3096\uff66-\uff9f]", reading)  # no hiragana nor half-width
    assert search_key(reading) == search_key(text) == search_key(search_key(text))
