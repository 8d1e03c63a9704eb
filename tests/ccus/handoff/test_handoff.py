"""One-time links: made by an admin, opened once with the PIN, burnt, expired, sealed."""

import datetime
import logging
import re
import uuid

import pytest
import time_machine
from django.utils import timezone

from ccus.handoff.models import HandoffLink
from ccus.handoff.sealing import WrongKey, unseal
from ccus.handoff.tasks import expire_handoff_links
from tests.console import sign_in
from tests.factories import SECRETS, make_secret_worker
from vault.audit.models import AuditEvent

ITEMS = ["ccus_id", "password", "security_code"]


def _make(client, worker, items=ITEMS, pin_length=6) -> tuple[str, str, str]:
    """Make a link through the page; return (path, secret, pin) as the admin sees them."""
    response = client.post(
        f"/workers/{worker.uuid}/handoff/", {"items": items, "pin_length": pin_length}
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    body = response.content.decode()
    url = re.search(r'id="handoff-url" class="mono" value="([^"]+)"', body).group(1)
    pin = re.search(r'id="handoff-pin">(\d+)<', body).group(1)
    base, _, secret = url.partition("#")
    return base.removeprefix("http://testserver"), secret, pin


@pytest.fixture
def worker(organization):
    return make_secret_worker(organization)


@pytest.fixture
def made(client, owner, worker):
    sign_in(client, owner)
    made = _make(client, worker)
    client.logout()
    return made


@pytest.mark.django_db
def test_it_makes_a_link_with_a_pin_shown_once_and_audits_it(client, owner, worker):
    sign_in(client, owner)
    path, secret, pin = _make(client, worker, pin_length=8)
    link = HandoffLink.objects.get()
    assert path == f"/h/{link.uuid}/"
    assert len(pin) == 8 and len(secret) == 43
    assert link.fields == ITEMS and link.status == "open"
    assert link.expires_at - link.created_at == datetime.timedelta(hours=72)
    event = AuditEvent.objects.get(action="handoff.create")
    assert event.target_uuid == worker.uuid and event.actor == owner
    assert event.details == {"items": ITEMS, "pin_digits": 8}
    # The list shows the link's state but never its PIN or secret part.
    page = client.get(f"/workers/{worker.uuid}/handoff/").content.decode()
    assert "開かれるのを待っています" in page
    assert pin not in page and secret not in page


@pytest.mark.django_db
def test_it_keeps_nothing_in_the_database_that_opens_the_link(made, worker):
    _path, secret, pin = made
    link = HandoffLink.objects.get()
    row = b"|".join(  # UUIDs left out: their hex holds four digits in a row by chance
        bytes(value) if isinstance(value, bytes | memoryview) else str(value).encode()
        for value in HandoffLink.objects.values_list().get()
        if not isinstance(value, uuid.UUID)
    )
    for value in (secret, pin, SECRETS["password"], SECRETS["ccus_id"]):
        assert value.encode() not in row
    assert SECRETS["security_code"].encode() not in row
    # The verifier and the stored bytes are not enough: without the secret part no PIN opens it.
    for guess in ("000000", pin):
        with pytest.raises(WrongKey):
            unseal(link.ciphertext, link_uuid=link.uuid, secret=link.verifier, pin=guess,
                   salt=link.salt, nonce=link.nonce)  # fmt: skip
    values = unseal(link.ciphertext, link_uuid=link.uuid, secret=secret, pin=pin,
                    salt=link.salt, nonce=link.nonce)  # fmt: skip
    assert values == {
        "ccus_id": SECRETS["ccus_id"],
        "password": SECRETS["password"],
        "security_code": SECRETS["security_code"],
    }


@pytest.mark.django_db
def test_it_opens_once_with_the_pin_then_never_again(client, made, worker):
    path, secret, pin = made
    first = client.get(path)
    assert first.status_code == 200 and "no-store" in first["Cache-Control"]
    assert "PIN" in first.content.decode() and SECRETS["password"] not in first.content.decode()
    shown = client.post(path, {"secret": secret, "pin": pin})
    body = shown.content.decode()
    assert shown.status_code == 200 and "no-store" in shown["Cache-Control"]
    for name in ITEMS:
        assert SECRETS[name] in body
    assert SECRETS["registered_email"] not in body and SECRETS["initial_password"] not in body
    assert "https://www.ccus.jp/" in body and "コピー" in body
    link = HandoffLink.objects.get()
    assert link.status == "viewed" and link.ciphertext is None
    event = AuditEvent.objects.get(action="handoff.view")
    assert event.target_uuid == worker.uuid and event.details == {"items": ITEMS}
    again = client.post(path, {"secret": secret, "pin": pin})
    assert again.status_code == 410
    assert "すでに一度開かれました" in again.content.decode()
    assert SECRETS["password"] not in again.content.decode()
    assert client.get(path).status_code == 410


@pytest.mark.django_db
def test_it_burns_the_link_after_three_wrong_pins(client, made):
    path, secret, pin = made
    wrong = "0" * len(pin) if pin != "0" * len(pin) else "1" * len(pin)
    first = client.post(path, {"secret": secret, "pin": wrong})
    assert first.status_code == 200
    assert "PINが違います" in first.content.decode()
    assert "あと2回間違えると" in first.content.decode()
    second = client.post(path, {"secret": secret, "pin": wrong})
    assert "あと1回間違えると" in second.content.decode()
    third = client.post(path, {"secret": secret, "pin": wrong})
    assert third.status_code == 410
    assert "3回間違えた" in third.content.decode()
    link = HandoffLink.objects.get()
    assert link.status == "burnt" and link.ciphertext is None and link.wrong_pins == 3
    # Even the right PIN no longer opens it.
    late = client.post(path, {"secret": secret, "pin": pin})
    assert late.status_code == 410 and SECRETS["password"] not in late.content.decode()
    actions = list(AuditEvent.objects.filter(action__startswith="handoff.").values_list(
        "action", flat=True).order_by("id"))  # fmt: skip
    assert actions == ["handoff.create", "handoff.wrong_pin", "handoff.wrong_pin", "handoff.burn"]


@pytest.mark.django_db
def test_it_takes_a_full_width_pin_and_refuses_letters_without_counting(client, made):
    path, secret, pin = made
    refused = client.post(path, {"secret": secret, "pin": "abcd"})
    assert "4〜8桁の数字" in refused.content.decode()
    assert HandoffLink.objects.get().wrong_pins == 0
    full_width = pin.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    shown = client.post(path, {"secret": secret, "pin": full_width[:3] + " " + full_width[3:]})
    assert SECRETS["password"] in shown.content.decode()


@pytest.mark.django_db
def test_it_answers_a_cut_link_without_counting_a_wrong_pin(client, made):
    path, secret, pin = made
    response = client.post(path, {"secret": secret[:-3], "pin": pin})
    assert response.status_code == 404
    assert "リンクが正しくありません" in response.content.decode()
    assert HandoffLink.objects.get().wrong_pins == 0
    assert client.post(path, {"secret": secret, "pin": pin}).status_code == 200


@pytest.mark.django_db
def test_it_expires_after_72_hours_when_opened_late(client, made):
    path, secret, pin = made
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=72, minutes=1)):
        response = client.post(path, {"secret": secret, "pin": pin})
    assert response.status_code == 410
    assert "72時間が過ぎました" in response.content.decode()
    link = HandoffLink.objects.get()
    assert link.status == "expired" and link.ciphertext is None
    assert AuditEvent.objects.filter(action="handoff.expire").count() == 1


@pytest.mark.django_db
def test_its_sweep_expires_and_wipes_unopened_links(made):
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=71)):
        assert expire_handoff_links.delay().get() == 0
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=73)):
        assert expire_handoff_links.delay().get() == 1
        assert expire_handoff_links.delay().get() == 0
    link = HandoffLink.objects.get()
    assert link.status == "expired" and link.ciphertext is None
    event = AuditEvent.objects.get(action="handoff.expire")
    assert event.organization_id == link.organization_id and event.actor is None


@pytest.mark.django_db
def test_an_admin_cancels_a_link_before_it_is_opened(client, owner, made):
    path, secret, pin = made
    link = HandoffLink.objects.get()
    sign_in(client, owner)
    assert client.get(f"/handoff/{link.uuid}/cancel/").status_code == 405
    response = client.post(f"/handoff/{link.uuid}/cancel/")
    assert response.status_code == 302
    client.logout()
    closed = client.post(path, {"secret": secret, "pin": pin})
    assert closed.status_code == 410 and "取り消しました" in closed.content.decode()
    assert AuditEvent.objects.filter(action="handoff.revoke").count() == 1


@pytest.mark.django_db
def test_it_asks_for_the_password_again_before_making_a_link(client, owner, worker):
    sign_in(client, owner, reauthenticated=False)
    response = client.post(f"/workers/{worker.uuid}/handoff/", {"items": ITEMS, "pin_length": 6})
    assert response.status_code == 302 and response["Location"].startswith("/account/confirm/")
    assert not HandoffLink.objects.exists()


@pytest.mark.django_db
def test_it_keeps_what_was_chosen_when_nothing_is_chosen(client, owner, worker):
    sign_in(client, owner)
    response = client.post(f"/workers/{worker.uuid}/handoff/", {"pin_length": 5})
    body = response.content.decode()
    assert response.status_code == 200 and "項目を1つ以上選んでください" in body
    assert 'value="5" selected' in body
    assert not HandoffLink.objects.exists()


@pytest.mark.django_db
def test_it_logs_no_secret_pin_or_value(client, owner, worker, caplog):
    caplog.set_level(logging.DEBUG)
    sign_in(client, owner)
    path, secret, pin = _make(client, worker)
    client.logout()
    client.post(path, {"secret": secret, "pin": "99999999"})
    client.post(path, {"secret": secret + "x", "pin": pin})
    client.post(path, {"secret": secret, "pin": pin})
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert secret not in path
    for value in (secret, pin, SECRETS["password"], SECRETS["ccus_id"], SECRETS["security_code"]):
        assert value not in logged


@pytest.mark.django_db
def test_the_handover_checklist_links_to_the_one_time_link(client, owner, worker):
    sign_in(client, owner)
    page = client.get(f"/workers/{worker.uuid}/handover/").content.decode()
    assert f'href="/workers/{worker.uuid}/handoff/"' in page
