"""Signing in: password, TOTP for owners and admins, lockout, idle timeout, sign out."""

import time

import pytest
from django.test import override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.console import sign_in
from tests.factories import make_member
from vault.auth.middleware import IDLE_KEY
from vault.firms.models import Membership, Role

PASSWORD = "correct-horse-battery"


def _login(client, user, password: str = PASSWORD):
    return client.post("/login/", {"username": user.email, "password": password})


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key):06d}"


@pytest.mark.django_db
def test_it_signs_staff_in_with_email_and_password(client, staff):
    response = _login(client, staff)
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_it_sets_up_totp_for_an_owner_with_a_qr_code_and_backup_codes(client, owner):
    _login(client, owner)
    assert client.get("/")["Location"] == "/account/two-factor/"
    assert client.get("/account/two-factor/")["Location"] == "/account/two-factor/setup/"
    page = client.get("/account/two-factor/setup/")
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=owner, confirmed=False)
    response = client.post("/account/two-factor/setup/", {"token": _code(device)})
    codes = response.context["codes"]
    assert len(codes) == 10 and all(code in response.content.decode() for code in codes)
    assert client.get("/").status_code == 200


@pytest.mark.django_db
@override_settings(OTP_TOTP_THROTTLE_FACTOR=0)
def test_it_asks_an_owner_for_the_code_at_every_sign_in(client, owner):
    device = TOTPDevice.objects.create(user=owner, name="app", confirmed=True)
    _login(client, owner)
    assert client.post("/account/two-factor/", {"token": "000000"}).status_code == 200
    assert client.get("/").status_code == 302
    response = client.post("/account/two-factor/", {"token": _code(device)})
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_it_accepts_a_backup_code_once(client, owner):
    device = TOTPDevice.objects.create(user=owner, name="app", confirmed=False)
    _login(client, owner)
    codes = client.post("/account/two-factor/setup/", {"token": _code(device)}).context["codes"]
    client.post("/logout/")
    _login(client, owner)
    assert client.post("/account/two-factor/", {"token": codes[0]})["Location"] == "/"
    client.post("/logout/")
    _login(client, owner)
    assert client.post("/account/two-factor/", {"token": codes[0]}).status_code == 200


@pytest.mark.django_db
def test_it_locks_out_after_five_wrong_passwords(client, staff):
    codes = [_login(client, staff, "wrong-password").status_code for _ in range(5)]
    assert codes == [200, 200, 200, 200, 429]
    response = _login(client, staff)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_it_keeps_the_lockout_to_that_user(client, staff, viewer):
    for _ in range(5):
        _login(client, staff, "wrong-password")
    assert _login(client, viewer)["Location"] == "/"


@pytest.mark.django_db
@override_settings(SESSION_IDLE_SECONDS=60)
def test_it_signs_out_an_idle_session(client, staff):
    sign_in(client, staff)
    assert client.get("/").status_code == 200
    session = client.session
    session[IDLE_KEY] = int(time.time()) - 61
    session.save()
    response = client.get("/")
    assert response["Location"] == "/login/"
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_it_signs_out(client, staff):
    sign_in(client, staff)
    client.post("/logout/")
    assert client.get("/workers/").status_code == 302


@pytest.mark.django_db
def test_it_switches_between_firms(client, staff, organization, other_organization):
    Membership.objects.create(user=staff, organization=other_organization, role=Role.VIEWER)
    sign_in(client, staff)
    for firm in (other_organization, organization):
        client.post("/firm/switch/", {"organization": str(firm.uuid)})
        assert firm.name in client.get("/").content.decode().split("<h1>")[1]


@pytest.mark.django_db
def test_it_refuses_to_switch_to_a_firm_of_which_one_is_not_a_member(
    client, staff, other_organization
):
    make_member(other_organization, "owner")
    sign_in(client, staff)
    response = client.post("/firm/switch/", {"organization": str(other_organization.uuid)})
    assert response.status_code == 404
