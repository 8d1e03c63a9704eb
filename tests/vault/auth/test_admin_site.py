"""No back door: the admin asks for the second factor, and the operator sees the superusers."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.console import sign_in
from tests.factories import make_member
from vault.auth.models import User


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root@example.jp", "correct-horse-battery")


@pytest.mark.django_db
def test_it_refuses_the_admin_to_a_superuser_signed_in_with_a_password_alone(client, superuser):
    client.force_login(superuser)  # the password was right; no second factor yet
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/" not in response["Location"] or "login" in response["Location"]
    assert client.get("/admin/vault/user/").status_code == 302


@pytest.mark.django_db
def test_it_refuses_the_admin_login_form_without_a_code(client, superuser):
    TOTPDevice.objects.create(user=superuser, name="app", confirmed=True)
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "root@example.jp", "password": "correct-horse-battery"},
    )
    assert response.status_code == 200  # the form again, not the admin
    assert client.get("/admin/").status_code == 302


@pytest.mark.django_db
def test_it_lets_a_superuser_in_with_password_and_code(client, superuser):
    device = TOTPDevice.objects.create(user=superuser, name="app", confirmed=True)
    code = f"{totp(device.bin_key):06d}"
    response = client.post(
        "/admin/login/?next=/admin/",
        {
            "username": "root@example.jp",
            "password": "correct-horse-battery",
            "otp_device": device.persistent_id,
            "otp_token": code,
        },
    )
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_it_sends_a_superuser_to_set_up_a_second_factor_at_sign_in(client, superuser):
    client.force_login(superuser)  # the password was right; no second factor yet
    response = client.get("/")
    assert response.status_code == 302 and "two-factor" in response["Location"]


@pytest.mark.django_db
def test_it_lists_the_superusers_on_the_operators_health_report(client, superuser, organization):
    User.objects.create_superuser("second-root@example.jp", "correct-horse-battery")
    sign_in(client, superuser)
    page = client.get("/admin/operator-health/").content.decode()
    assert "root@example.jp" in page and "second-root@example.jp" in page
    assert "二要素" in page or "TOTP" in page


@pytest.mark.django_db
def test_it_keeps_the_operators_report_from_staff_who_are_not_superusers(client, organization):
    staff_user = make_member(organization, "owner")
    staff_user.is_staff = True
    staff_user.save()
    sign_in(client, staff_user)
    assert client.get("/admin/operator-health/").status_code == 403
