"""One ID per firm holds on PostgreSQL when two connections insert it at the same time."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from ccus.accounts.models import Worker
from tests.factories import make_organization, make_worker


def _insert(
    organization, name: str, inserted: threading.Event, release: threading.Event, outcomes: dict
) -> None:
    try:
        with transaction.atomic():
            make_worker(organization, name=name, ccus_id="12345678901234")
            inserted.set()
            release.wait(10)
        outcomes[name] = "saved"
    except ValidationError as error:
        outcomes[name] = error.error_dict["ccus_id"][0].code
    finally:
        inserted.set()
        connection.close()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_keeps_one_id_per_firm_under_concurrent_inserts():
    organization = make_organization()
    outcomes: dict = {}
    first_inserted, first_release = threading.Event(), threading.Event()
    second_inserted = threading.Event()
    first = threading.Thread(
        target=_insert, args=(organization, "先", first_inserted, first_release, outcomes)
    )
    first.start()
    assert first_inserted.wait(10)
    # The first insert is not committed yet: the second one passes the Python check and
    # reaches the unique index, where it must wait for the first and then fail.
    second = threading.Thread(
        target=_insert,
        args=(organization, "後", second_inserted, threading.Event(), outcomes),
    )
    second.start()
    second.join(1)
    assert second.is_alive(), "the second insert should wait on the unique index"
    first_release.set()
    first.join(10)
    second.join(10)
    assert outcomes == {"先": "saved", "後": "duplicate"}
    assert list(Worker.objects.values_list("name", flat=True)) == ["先"]
