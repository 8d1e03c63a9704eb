"""Normalisers remember texts only within a roster chunk, and give the same results there."""

from ccus.accounts import text
from ccus.accounts.addresses import normalize_registered_email
from ccus.accounts.text import normalize_digits, remembering_texts
from ccus.accounts.validators import normalize_ccus_id
from ccus.rosters.read import NumberText

TYPED = ["１２３４ ５６７８ ９０１２ ３４", "0１２３", "ｓｅｃｒｅｔ．ｍａｉｌ＠example.jp"]


def test_it_gives_the_same_results_remembering_or_not():
    plain = [normalize_ccus_id(TYPED[0]), normalize_digits(TYPED[1]),
             normalize_registered_email(TYPED[2])]  # fmt: skip
    with remembering_texts():
        for _ in range(2):
            assert [normalize_ccus_id(TYPED[0]), normalize_digits(TYPED[1]),
                    normalize_registered_email(TYPED[2])] == plain  # fmt: skip


def test_it_keeps_no_id_code_or_address_once_the_chunk_is_done():
    with remembering_texts():
        normalize_ccus_id(TYPED[0])
        normalize_digits(TYPED[1])
        normalize_registered_email(TYPED[2])
        assert len(text._remembered.get()) >= 3
    assert text._remembered.get() is None
    normalize_ccus_id(TYPED[0])  # outside a chunk nothing is kept anywhere
    assert text._remembered.get() is None


def test_it_never_hands_one_caller_s_subclass_to_another():
    cell = NumberText("12345678901234.0")
    with remembering_texts():
        normalize_ccus_id("12345678901234.0")
        assert normalize_ccus_id(cell) == normalize_ccus_id(NumberText("12345678901234.0"))
        assert all(type(value) is str for _function, value in text._remembered.get())
