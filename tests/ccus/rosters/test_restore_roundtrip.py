"""A firm of 5,000 workers: backup, delete, restore; every field of every record comes back."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ccus.accounts.models import Worker
from ccus.rosters.models import BackupRestore
from tests.ccus.rosters.backups import (
    PASSPHRASE,
    delete_accounts,
    make_awkward_firm,
    make_many_workers,
    snapshot,
)
from tests.console import sign_in


@pytest.mark.postgres
@pytest.mark.django_db
def test_it_brings_back_5000_workers_with_every_secret_through_the_pages(
    client, organization, owner, django_capture_on_commit_callbacks
):
    make_awkward_firm(organization, owner)
    make_many_workers(organization, 5_000)
    before = snapshot(organization)
    sign_in(client, owner)
    backup = client.post("/backup/", {"passphrase": PASSPHRASE, "passphrase_again": PASSPHRASE})
    delete_accounts(organization)
    upload = client.post(
        "/backup/restore/",
        {"file": SimpleUploadedFile("backup.zip", backup.content), "passphrase": PASSPHRASE},
    )
    preview = client.get(upload["Location"])
    assert preview.context["counts"] == {"new": 5_004, "changed": 0, "same": 0, "error": 0}
    assert Worker.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        # Over 1,000 accounts: restored by the Celery task, the page shows the result.
        client.post(f"{upload['Location']}confirm/")
    assert BackupRestore.objects.get().status == "done"
    after = snapshot(organization)
    assert len(after) == 5_005
    assert after == before
