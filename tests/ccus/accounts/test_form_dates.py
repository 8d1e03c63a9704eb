"""Form dates typed in 西暦 or 和暦, read by the same parser as imported rosters."""

import datetime

import pytest
from django.utils import translation

from ccus.accounts.models import Company, Worker
from ccus.recovery.models import HandoverStep
from tests.factories import make_worker


@pytest.mark.django_db
@pytest.mark.parametrize(
    "typed",
    [
        "S50.4.1",
        "昭和50年4月1日",
        "s50.4.1",
        "Ｓ５０．４．１",
        "1975/04/01",
        "1975-4-1",
        "19750401",
    ],
)
def test_it_reads_a_birth_date_typed_in_wareki_or_seireki(staff_client, typed):
    response = staff_client.post("/workers/new/", {"name": "和暦 太郎", "birth_date": typed})
    assert response.status_code == 302
    assert Worker.objects.get(name="和暦 太郎").birth_date == datetime.date(1975, 4, 1)


@pytest.mark.django_db
def test_it_reads_reiwa_and_the_first_year(staff_client):
    staff_client.post(
        "/workers/new/",
        {"name": "令和 花子", "card_expires_on": "R2.4.1", "consent_given_on": "令和元年5月1日"},
    )
    worker = Worker.objects.get(name="令和 花子")
    assert worker.card_expires_on == datetime.date(2020, 4, 1)
    assert worker.consent_given_on == datetime.date(2019, 5, 1)


@pytest.mark.django_db
def test_it_reads_a_business_registration_expiry_in_wareki(staff_client):
    staff_client.post(
        "/companies/new/", {"name": "和暦建設", "registration_expires_on": "Ｒ９．３．３１"}
    )
    company = Company.objects.get(name="和暦建設")
    assert company.registration_expires_on == datetime.date(2027, 3, 31)


@pytest.mark.django_db
def test_it_names_a_day_outside_its_era_and_keeps_what_was_typed(staff_client):
    with translation.override("ja"):
        response = staff_client.post(
            "/workers/new/", {"name": "昭和 超過", "birth_date": "S65.1.1"}
        )
    body = response.content.decode()
    assert response.status_code == 200
    assert "昭和は1989-01-07で終わりました" in body
    assert 'value="S65.1.1"' in body
    assert not Worker.objects.filter(name="昭和 超過").exists()


@pytest.mark.django_db
def test_it_refuses_a_bare_number_that_a_roster_would_read_as_an_excel_serial(staff_client):
    with translation.override("ja"):
        response = staff_client.post("/workers/new/", {"name": "数字 だけ", "birth_date": "27500"})
    assert response.status_code == 200
    assert "日付として読めません" in response.content.decode()


@pytest.mark.django_db
def test_it_shows_a_stored_date_in_the_form_as_it_is_typed(staff_client, organization):
    worker = make_worker(organization, name="表示 確認", card_expires_on=datetime.date(2030, 4, 1))
    body = staff_client.get(f"/workers/{worker.uuid}/edit/").content.decode()
    assert 'value="2030/04/01"' in body


@pytest.mark.django_db
def test_it_reads_the_day_a_worker_left_in_wareki(staff_client, organization):
    worker = make_worker(organization, name="退職 和暦")
    staff_client.post(f"/workers/{worker.uuid}/left/", {"left_on": "R7.3.31", "anyway": "1"})
    worker.refresh_from_db()
    assert worker.left_on == datetime.date(2025, 3, 31)


@pytest.mark.django_db
def test_it_reads_a_handover_step_dated_in_wareki(owner_client, organization):
    worker = make_worker(organization, name="引継ぎ 和暦")
    owner_client.post(
        f"/workers/{worker.uuid}/handover/", {"step": "email_moved", "done_on": "令和8年10月5日"}
    )
    step = HandoverStep.objects.get(worker=worker)
    assert step.done_on == datetime.date(2026, 10, 5)
    page = owner_client.get(f"/workers/{worker.uuid}/handover/").content.decode()
    assert 'value="2026/10/05"' in page
