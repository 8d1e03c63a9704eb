"""The calendar feed: a member's revocable address, names and dates only, alarms as reminders."""

import datetime
import re

import pytest
import time_machine
import vobject
from django.utils import timezone
from icalendar import Calendar

from ccus.accounts.models import ManagerIdFee
from ccus.calendar.models import CalendarFeed
from tests.console import sign_in
from tests.factories import SECRETS, leaked, make_company, make_secret_worker, make_worker
from vault.audit.models import AuditEvent

TODAY = datetime.datetime(2026, 12, 1, 10, 0, tzinfo=datetime.UTC)


def _issue(client, user) -> str:
    """Make the member's calendar address through the page; return its path."""
    sign_in(client, user)
    response = client.post("/calendar/", {"action": "issue"})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    url = re.search(r'id="calendar-url" class="mono" value="([^"]+)"', response.content.decode())
    client.logout()
    return url.group(1).removeprefix("http://testserver")


@pytest.fixture
def dated(organization):
    company = make_company(
        organization,
        name="協力建設",
        ccus_id="22223333444455",
        registered_email="office@example.jp",
        registration_expires_on=datetime.date(2027, 9, 30),
    )
    ManagerIdFee.objects.create(
        company=company, label="12345678901299", due_on=datetime.date(2027, 4, 1)
    )
    worker = make_secret_worker(organization, card_expires_on=datetime.date(2027, 6, 30))
    make_worker(
        organization, name="退職 次郎", status="left", card_expires_on=datetime.date(2027, 7, 1)
    )
    return company, worker


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_its_feed_lists_the_firm_dates_with_reminders_as_alarms(client, viewer, dated):
    _company, worker = dated
    path = _issue(client, viewer)
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["x-wr-calname"]) == "CCUS Vault：協力建設株式会社"
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    assert sorted(events) == [
        "CCUSカードの有効期限：秘密 太郎",
        "事業者登録の有効期限：協力建設",
        "管理者ID利用料の支払期限：協力建設",
    ]
    card = events["CCUSカードの有効期限：秘密 太郎"]
    assert card.decoded("dtstart") == datetime.date(2027, 6, 30)
    assert card.decoded("dtend") == datetime.date(2027, 7, 1)
    assert str(card["url"]).endswith(f"/workers/{worker.uuid}/")
    triggers = [alarm.decoded("trigger") for alarm in card.walk("VALARM")]
    # 09:00 JST is 00:00 UTC: 6, 3 and 1 months before, and on the day.
    assert triggers == [
        datetime.datetime(2026, 12, 30, 0, 0, tzinfo=datetime.UTC),
        datetime.datetime(2027, 3, 30, 0, 0, tzinfo=datetime.UTC),
        datetime.datetime(2027, 5, 30, 0, 0, tzinfo=datetime.UTC),
        datetime.datetime(2027, 6, 30, 0, 0, tzinfo=datetime.UTC),
    ]
    registration = events["事業者登録の有効期限：協力建設"]
    assert len(registration.walk("VALARM")) == 4  # not the "after expiry" reminder
    fee = events["管理者ID利用料の支払期限：協力建設"]
    assert [a.decoded("trigger").date() for a in fee.walk("VALARM")] == [
        datetime.date(2027, 3, 1), datetime.date(2027, 3, 25),
    ]  # fmt: skip


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_its_feed_never_carries_an_id_or_a_secret(client, owner, dated):
    body = client.get(_issue(client, owner)).content.decode()
    ids = {"company": "22223333444455", "worker": "12345678901299", "email": "office@example.jp"}
    assert leaked(body, {**SECRETS, **ids}) == []
    assert "1981" not in body  # birth date
    assert not re.search(r"\d{14}", body)


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_a_real_client_library_imports_the_feed(client, owner, dated):
    """vobject (the parser of the Radicale server and of khal) reads it as a calendar app would."""
    body = client.get(_issue(client, owner)).content.decode()
    calendar = vobject.readOne(body)
    events = calendar.vevent_list
    assert len(events) == 3
    for event in events:
        assert isinstance(event.dtstart.value, datetime.date)
        assert event.uid.value.endswith("@ccus-vault")
        assert all(alarm.action.value == "DISPLAY" for alarm in event.valarm_list)
        assert all(alarm.trigger.value.tzinfo is not None for alarm in event.valarm_list)
    # Serialising it back (what a client does when it stores the subscription) works too.
    assert "BEGIN:VCALENDAR" in calendar.serialize()


@pytest.mark.django_db
def test_its_address_is_revocable_and_kept_only_as_a_hash(client, owner, dated):
    first = _issue(client, owner)
    token = first.removeprefix("/calendar/").removesuffix(".ics")
    feed = CalendarFeed.objects.get()
    assert token not in str(list(CalendarFeed.objects.values_list()))
    assert len(feed.token_hash) == 64
    second = _issue(client, owner)
    assert second != first
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    sign_in(client, owner)
    page = client.get("/calendar/").content.decode()
    assert token not in page and "カレンダーのアドレスがあります" in page
    client.post("/calendar/", {"action": "stop"})
    assert client.get(second).status_code == 404
    assert not CalendarFeed.objects.exists()
    actions = list(
        AuditEvent.objects.filter(action__startswith="calendar.").values_list("action", flat=True)
    )
    assert sorted(actions) == ["calendar.issue", "calendar.issue", "calendar.revoke"]


@pytest.mark.django_db
def test_each_member_has_an_address_of_their_own(client, owner, staff, dated):
    own, others = _issue(client, owner), _issue(client, staff)
    assert own != others and CalendarFeed.objects.count() == 2
    owner.is_active = False
    owner.save()
    assert client.get(own).status_code == 404
    assert client.get(others).status_code == 200


@pytest.mark.django_db
def test_it_reads_the_feed_in_four_queries_whatever_the_number_of_dates(
    client, owner, organization, django_assert_num_queries
):
    path = _issue(client, owner)
    client.get(path)  # the first read notes when it was read

    def count_queries(extra: int) -> None:
        for n in range(extra):
            make_worker(organization, card_expires_on=datetime.date(2027, 1, 1 + n))
        with django_assert_num_queries(4):  # the token, companies, workers, fees
            assert client.get(path).status_code == 200

    count_queries(2)
    count_queries(20)


@pytest.mark.django_db
def test_it_speaks_the_language_the_address_was_made_in(client, owner, dated):
    sign_in(client, owner)
    client.cookies["django_language"] = "en"
    response = client.post("/calendar/", {"action": "issue"}, HTTP_ACCEPT_LANGUAGE="en")
    path = re.search(r'value="(http://testserver/calendar/[^"]+)"', response.content.decode())
    body = client.get(path.group(1).removeprefix("http://testserver")).content.decode()
    assert "CCUS card expires: 秘密 太郎" in body


@pytest.mark.django_db
def test_the_feed_is_get_only_and_needs_no_session(client, owner, dated):
    path = _issue(client, owner)
    assert client.post(path).status_code == 405
    assert client.get("/calendar/not-a-token.ics").status_code == 404
    with time_machine.travel(timezone.now() + datetime.timedelta(days=1)):
        assert client.get(path).status_code == 200
