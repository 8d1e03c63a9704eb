"""`seed_demo` creates the demo firm once and prints its logins."""

import io

import pytest
from django.core.management import call_command

from ccus.accounts.models import Company, Worker
from ccus.oversight.models import Engagement, Site
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
    organization = Organization.objects.get(name="デモ建設株式会社")
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
    assert Organization.objects.count() == 2 and Worker.objects.count() == 8


@pytest.mark.django_db
def test_it_adds_a_prime_contractor_looking_over_the_demo_firm_on_a_site(client):
    output = _seed()
    engagement = Engagement.objects.get()
    assert engagement.status == Engagement.Status.ACTIVE
    assert engagement.prime.name == "デモ元請建設株式会社"
    assert engagement.subcontractor.name == "デモ建設株式会社"
    assert Site.objects.get(organization=engagement.prime).engagements.get() == engagement
    # The printed logins say which firm each person belongs to and what that firm is.
    prime_line = next(line for line in output.splitlines() if line.startswith("prime@"))
    assert "デモ元請建設株式会社" in prime_line and "prime contractor" in prime_line
    owner_line = next(line for line in output.splitlines() if line.startswith("owner@"))
    assert "デモ建設株式会社" in owner_line and "subcontractor" in owner_line
    email, password = prime_line.split()[:2]
    response = client.post("/login/", {"username": email, "password": password})
    assert response.status_code == 302 and "_auth_user_id" in client.session
