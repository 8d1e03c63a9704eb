"""Changing the blind-index key: v2| written beside v1|, both read meanwhile, v1| dropped."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from ccus.accounts.lookup import filter_by_ccus_id
from ccus.accounts.models import Company, Worker
from tests.console import sign_in
from tests.factories import make_company, make_worker
from vault.audit.models import AuditEvent

OLD = "test-blind-index-key-000000000000000000000000"  # the key of the test settings (v1)
NEW = "the-next-blind-index-key-11111111111111111111"
SWITCH = {"VAULT_BLIND_INDEX_KEYS": [f"v2:{NEW}", f"v1:{OLD}"]}
AFTER = {"VAULT_BLIND_INDEX_KEYS": [f"v2:{NEW}"]}
COLUMNS = ("ccus_id_index", "ccus_id_index_new", "email_index", "email_index_new")


def _raw_prefixes() -> set[str]:
    """Return the version prefixes found in every index column of both tables, read raw."""
    found = set()
    with connection.cursor() as cursor:
        for table in ("ccus_worker", "ccus_company"):
            for column in COLUMNS:
                cursor.execute(f"SELECT DISTINCT substr({column}, 1, 3) FROM {table}")  # noqa: S608
                found |= {row[0] for row in cursor.fetchall() if row[0]}
    return found


def _duplicate(organization, ccus_id: str) -> str:
    with pytest.raises(ValidationError) as raised:
        make_worker(organization, name="二重", ccus_id=ccus_id)
    return raised.value.error_dict["ccus_id"][0].code


def _rotate() -> str:
    out = io.StringIO()
    call_command("rotate_blind_index", batch_size=2, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_it_changes_the_key_without_losing_a_lookup_or_a_duplicate_check(
    client, organization, owner
):
    before = make_worker(organization, name="前から", ccus_id="11111111111111",
                         registered_email="shared@example.jp")  # fmt: skip
    make_company(organization, name="元の会社", ccus_id="99999999999999")
    with override_settings(**SWITCH):
        during = make_worker(organization, name="切替中", ccus_id="22222222222222",
                             registered_email="shared@example.jp")  # fmt: skip
        assert during.ccus_id_index.startswith("v1|")
        assert during.ccus_id_index_new.startswith("v2|")
        # Lookups and the duplicate check read both: the earlier account has v1| only.
        assert list(filter_by_ccus_id(Worker.objects, organization, "11111111111111")) == [before]
        assert _duplicate(organization, "11111111111111") == "duplicate"
        assert _duplicate(organization, "22222222222222") == "duplicate"
        sign_in(client, owner)
        assert client.get("/workers/?q=11111111111111").context["page"].object_list[0] == before
        assert "同じ登録メールアドレス" in client.get(f"/workers/{before.uuid}/").content.decode()
        output = _rotate()
        assert "Every account has its v2| index" in output and "unlisted=0" in output
        assert _raw_prefixes() == {"v1|", "v2|"}
        assert Worker.objects.filter(ccus_id_index_new__startswith="v2|").count() == 2
    with override_settings(**AFTER):
        # The old key is gone from the settings; the old column still holds v1| until dropped.
        assert list(filter_by_ccus_id(Worker.objects, organization, "11111111111111")) == [before]
        assert _duplicate(organization, "22222222222222") == "duplicate"
        assert "同じ登録メールアドレス" in client.get(f"/workers/{during.uuid}/").content.decode()
        shared = client.get("/workers/?filter=shared_email").context["page"].object_list
        assert {w.name for w in shared} == {"前から", "切替中"}
        assert "Every index is v2|; no other is left." in _rotate()
        assert _raw_prefixes() == {"v2|"}
        after = make_worker(organization, name="切替後", ccus_id="33333333333333")
        assert (after.ccus_id_index, after.email_index) == (after.ccus_id_index_new, None)
        for ccus_id in ("11111111111111", "22222222222222", "33333333333333"):
            assert filter_by_ccus_id(Worker.objects, organization, ccus_id).count() == 1
        assert filter_by_ccus_id(Company.objects, organization, "99999999999999").count() == 1
    assert AuditEvent.objects.filter(action="blind_index.rotate").count() == 2


@pytest.mark.django_db
def test_it_refuses_more_than_two_keys_or_the_old_one_first():
    from vault.crypto.checks import check_vault_keys

    for keys in ([f"v1:{OLD}", f"v2:{NEW}"], [f"v3:{NEW}x", f"v2:{NEW}", f"v1:{OLD}"], [NEW]):
        with override_settings(VAULT_BLIND_INDEX_KEYS=keys):
            assert [error.id for error in check_vault_keys()] == ["vault.E008"]
    with override_settings(**SWITCH):
        assert check_vault_keys() == []
