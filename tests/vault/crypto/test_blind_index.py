"""Blind index: keyed, versioned, full length, split per organization and purpose."""

import re
import uuid

from django.test import override_settings

from vault.crypto.blind_index import blind_index

ORG_A, ORG_B = uuid.uuid4(), uuid.uuid4()


def test_it_is_versioned_and_full_length_hex():
    assert re.fullmatch(r"v1\|[0-9a-f]{64}", blind_index(ORG_A, "ccus-id", "12345678901234"))


def test_it_is_the_same_for_the_same_value_in_one_organization():
    assert blind_index(ORG_A, "ccus-id", "12345678901234") == blind_index(
        ORG_A, "ccus-id", "12345678901234"
    )


def test_it_differs_between_organizations():
    assert blind_index(ORG_A, "ccus-id", "12345678901234") != blind_index(
        ORG_B, "ccus-id", "12345678901234"
    )


def test_it_differs_between_purposes_and_values():
    base = blind_index(ORG_A, "ccus-id", "12345678901234")
    assert base != blind_index(ORG_A, "registered-email", "12345678901234")
    assert base != blind_index(ORG_A, "ccus-id", "12345678901235")


def test_it_depends_on_its_own_key():
    before = blind_index(ORG_A, "ccus-id", "12345678901234")
    with override_settings(VAULT_BLIND_INDEX_KEY="another-blind-index-key-00000000000000000"):
        assert blind_index(ORG_A, "ccus-id", "12345678901234") != before
    with override_settings(SECRET_KEY="another-secret-key-000000000000000000000000"):
        assert blind_index(ORG_A, "ccus-id", "12345678901234") == before
