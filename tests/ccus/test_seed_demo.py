"""`seed_demo` creates the demo firm once and prints its logins."""

import io

import pytest
from django.core.management import call_command

from ccus.accounts.models import Company, Worker
from vault.firms.models import Membership, Organization


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def _seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_it_creates_the_demo_firm_and_prints_logins_that_work(client):
    output = _seed()
    organization = Organization.objects.get()
    assert Membership.objects.filter(organization=organization).count() == 4
    assert Company.objects.count() == 2 and Worker.objects.count() == 8
    line = next(line for line in output.splitlines() if line.startswith("owner@"))
    email, password = line.split()[:2]
    response = client.post("/login/", {"username": email, "password": password})
    assert response.status_code == 302 and "_auth_user_id" in client.session


@pytest.mark.django_db
def test_it_changes_nothing_when_run_again():
    _seed()
    assert "nothing changed" in _seed()
    assert Organization.objects.count() == 1 and Worker.objects.count() == 8
