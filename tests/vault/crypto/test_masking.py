"""Masked forms of IDs and emails."""

import pytest

from vault.crypto.masking import mask_ccus_id, mask_digits, mask_email, mask_text


@pytest.mark.parametrize(
    ("value", "masked"),
    [("12345678901234", "•••• •••• ••12 34"), ("", ""), (None, ""), ("1234", "12 34")],
)
def test_it_masks_digits_keeping_the_last_four(value, masked):
    assert mask_digits(value) == masked


def test_it_masks_an_id_from_its_last_four_digits_alone():
    assert mask_ccus_id("1234") == "•••• •••• ••12 34"
    assert mask_ccus_id("") == ""


@pytest.mark.parametrize(
    ("value", "masked"),
    [("taro@example.jp", "t•••@example.jp"), ("not-an-address", "••••••"), (None, "")],
)
def test_it_masks_an_email_keeping_the_first_letter_and_domain(value, masked):
    assert mask_email(value) == masked


def test_it_hides_text_entirely():
    assert mask_text("secret") == "••••••••"
    assert mask_text("") == ""
