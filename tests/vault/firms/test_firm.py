"""Members, confirmation policy and the audit log of a firm."""

import re

import pytest
from django.core import mail

from tests.console import sign_in
from tests.factories import leaked, make_member, make_secret_worker
from vault.audit.models import AuditEvent
from vault.auth.models import User
from vault.firms.models import Membership


@pytest.mark.django_db(transaction=True)
def test_it_invites_a_new_person_who_then_chooses_a_password(client, owner, organization):
    sign_in(client, owner)
    response = client.post("/firm/members/", {"email": "New.Person@example.jp", "role": "staff"})
    assert response["Location"] == "/firm/members/"
    invited = User.objects.get(email="new.person@example.jp")
    assert Membership.objects.get(user=invited).role == "staff"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert organization.name in message.subject and "招待" in message.subject
    link = re.search(r"http://\S+/account/set-password/\S+/", message.body).group(0)
    client.logout()
    form_page = client.get(link.replace("http://127.0.0.1:8000", ""), follow=True)
    new_password = "a-long-new-password-42"
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    invited.refresh_from_db()
    assert invited.check_password(new_password)


@pytest.mark.django_db
def test_it_refuses_to_invite_a_member_twice(client, owner, staff, organization):
    sign_in(client, owner)
    response = client.post("/firm/members/", {"email": staff.email, "role": "viewer"})
    assert response.status_code == 200
    assert Membership.objects.get(user=staff).role == "staff"


@pytest.mark.django_db
def test_it_keeps_the_last_owner(client, owner, organization):
    sign_in(client, owner)
    membership = Membership.objects.get(user=owner)
    client.post(f"/firm/members/{membership.uuid}/remove/")
    assert Membership.objects.filter(pk=membership.pk).exists()


@pytest.mark.django_db
def test_it_lets_an_admin_remove_staff_but_not_an_owner(
    client, admin_member, owner, staff, organization
):
    sign_in(client, admin_member)
    staff_membership = Membership.objects.get(user=staff)
    owner_membership = Membership.objects.get(user=owner)
    client.post(f"/firm/members/{staff_membership.uuid}/remove/")
    response = client.post(f"/firm/members/{owner_membership.uuid}/remove/")
    assert not Membership.objects.filter(pk=staff_membership.pk).exists()
    assert response.status_code == 403
    assert Membership.objects.filter(pk=owner_membership.pk).exists()


@pytest.mark.django_db
def test_it_lets_an_owner_change_the_policy(client, owner, organization):
    sign_in(client, owner)
    client.post("/firm/policy/", {"days": "90"})
    organization.refresh_from_db()
    assert organization.confirmation_policy_days == 90
    assert AuditEvent.objects.filter(action="organization.policy").exists()


@pytest.mark.django_db
def test_it_refuses_a_policy_out_of_range_and_keeps_the_input(client, owner, organization):
    sign_in(client, owner)
    response = client.post("/firm/policy/", {"days": "3"})
    assert response.status_code == 200 and 'value="3"' in response.content.decode()
    organization.refresh_from_db()
    assert organization.confirmation_policy_days == 180


@pytest.mark.django_db
def test_it_exports_the_audit_log_as_excel_friendly_csv(client, owner, organization):
    worker = make_secret_worker(organization)
    sign_in(client, owner)
    client.post(f"/workers/{worker.uuid}/reveal/", {"field": "password"})
    response = client.get("/firm/audit/?format=csv&action=secret.reveal")
    body = response.content.decode("utf-8")
    assert response["Content-Type"].startswith("text/csv")
    assert body.startswith("\ufeff")
    rows = body.strip().splitlines()
    assert len(rows) == 2 and "秘密の値を表示" in rows[1] and "パスワード" in rows[1]
    assert leaked(body) == []


@pytest.mark.django_db
def test_it_shows_only_this_firms_events(client, owner, organization, other_organization):
    other_owner = make_member(other_organization, "owner")
    make_secret_worker(other_organization, actor=other_owner)
    sign_in(client, owner)
    response = client.get("/firm/audit/?format=csv")
    assert len(response.content.decode().strip().splitlines()) == 1
