"""The 管理者ID利用料 due dates: entered on a page (西暦 or 和暦), checked, audited, reminded of."""

import datetime

import pytest
from django.utils import timezone

from ccus.accounts.dates import wareki
from ccus.accounts.models import ManagerIdFee
from ccus.reminders.dues import fee_dues
from tests.console import sign_in
from tests.factories import make_company, make_member
from vault.audit.models import AuditEvent


@pytest.fixture
def company(organization):
    return make_company(organization, name="協力建設", ccus_id="55556666777788")


def _url(company) -> str:
    return f"/companies/{company.uuid}/fees/"


@pytest.mark.django_db
def test_an_owner_enters_a_fee_date_in_wareki_and_the_reminder_reads_it(owner_client, company):
    today = timezone.localdate()
    due = today + datetime.timedelta(days=20)
    response = owner_client.post(
        _url(company), {"label": "現場管理者（駅前ビル）", "due_on": wareki(due)}, follow=True
    )
    fee = ManagerIdFee.objects.get(company=company)
    assert (fee.label, fee.due_on) == ("現場管理者（駅前ビル）", due)
    page = response.content.decode()
    assert f"{due:%Y-%m-%d}（{wareki(due)}）" in page
    assert AuditEvent.objects.filter(action="company.fee_save", target_uuid=company.uuid).exists()
    dues = [d for d in fee_dues(today) if d.subject_uuid == company.uuid]
    assert len(dues) == 1 and "現場管理者（駅前ビル）" in dues[0].subject_label
    detail = owner_client.get(f"/companies/{company.uuid}/").content.decode()
    assert f"現場管理者（駅前ビル）: {due:%Y-%m-%d}" in detail


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "day"),
    [("2027/3/31", "2027-03-31"), ("Ｒ９．３．３１", "2027-03-31"), ("20270401", "2027-04-01")],
)
def test_it_reads_the_ways_offices_write_a_date(owner_client, company, typed, day):
    owner_client.post(_url(company), {"label": "事業者責任者", "due_on": typed})
    assert str(ManagerIdFee.objects.get().due_on) == day


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("label", "typed", "field", "says"),
    [
        ("事業者責任者", "令和9年2月30日", "due_on", "実在しない日付"),
        ("事業者責任者", "平成35年1月1日", "due_on", "平成"),
        ("事業者責任者", "来年の春", "due_on", "日付として読めません"),
        ("事業者責任者", "2099-01-01", "due_on", "2年以上先"),
        ("ID 1234-5678-9012-34", "2027-03-31", "label", "IDの番号ではなく"),
    ],
)
def test_it_refuses_bad_input_in_japanese_and_keeps_what_was_typed(
    owner_client, company, label, typed, field, says
):
    response = owner_client.post(_url(company), {"label": label, "due_on": typed})
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors and says in " ".join(form.errors[field])
    page = response.content.decode()
    assert f'value="{typed}"' in page and f'value="{label}"' in page
    assert not ManagerIdFee.objects.exists()


@pytest.mark.django_db
def test_it_changes_marks_paid_and_removes_a_fee_date(owner_client, company):
    owner_client.post(_url(company), {"label": "事業者責任者", "due_on": "2027-03-31"})
    fee = ManagerIdFee.objects.get()
    owner_client.post(_url(company), {"fee": str(fee.uuid), "label": "事業者責任者",
                                      "due_on": "令和9年4月30日"})  # fmt: skip
    fee.refresh_from_db()
    assert fee.due_on == datetime.date(2027, 4, 30)
    assert ManagerIdFee.objects.count() == 1
    response = owner_client.post(f"{_url(company)}{fee.uuid}/", {"action": "paid"}, follow=True)
    fee.refresh_from_db()
    assert fee.due_on == datetime.date(2028, 4, 30)
    assert "2028-04-30" in response.content.decode()
    owner_client.post(f"{_url(company)}{fee.uuid}/", {"action": "delete"})
    assert not ManagerIdFee.objects.exists()
    actions = AuditEvent.objects.filter(action__startswith="company.fee_")
    assert sorted(actions.values_list("action", flat=True)) == [
        "company.fee_delete", "company.fee_paid", "company.fee_save", "company.fee_save",
    ]  # fmt: skip


@pytest.mark.django_db
def test_a_changed_fee_keeps_its_typing_when_refused(owner_client, company):
    owner_client.post(_url(company), {"label": "事業者責任者", "due_on": "2027-03-31"})
    fee = ManagerIdFee.objects.get()
    response = owner_client.post(_url(company), {"fee": str(fee.uuid), "label": "事業者責任者",
                                                 "due_on": "3月31日"})  # fmt: skip
    card = response.content.decode().split(f'id="fee-{fee.uuid}"')[1].split('id="fee-new"')[0]
    assert 'value="3月31日"' in card and "日付として読めません" in card
    fee.refresh_from_db()
    assert fee.due_on == datetime.date(2027, 3, 31)


@pytest.mark.django_db
def test_only_the_firms_staff_and_up_change_fee_dates(client, organization, company, outsider):
    fee = ManagerIdFee.objects.create(company=company, label="事業者責任者",
                                      due_on=datetime.date(2027, 3, 31))  # fmt: skip
    sign_in(client, make_member(organization, "viewer"))
    assert client.get(_url(company)).status_code == 403
    assert client.post(_url(company), {"label": "x", "due_on": "2027-01-01"}).status_code == 403
    sign_in(client, make_member(organization, "staff"))
    assert client.get(_url(company)).status_code == 200
    assert client.get(f"{_url(company)}{fee.uuid}/").status_code == 405
    sign_in(client, outsider)
    assert client.get(_url(company)).status_code == 404
    assert client.post(f"{_url(company)}{fee.uuid}/", {"action": "delete"}).status_code == 404
    assert ManagerIdFee.objects.count() == 1
