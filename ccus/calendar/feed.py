"""The iCalendar (RFC 5545) feed of a firm: expiries and fee dates with their reminders as alarms.

It names accounts and dates only: never an ID, an email or any other secret.
"""

import datetime
import zoneinfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Event

from ccus.accounts.models import Company, ManagerIdFee, Worker, WorkerStatus
from ccus.reminders.dues import CARD_MILESTONES, FEE_MILESTONES, REGISTRATION_MILESTONES
from vault.firms.models import Organization

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
# Reminders go out at 09:00 JST; the alarms ring then too.
ALARM_TIME = datetime.time(9, 0)
# Dates further back than this are left out: the feed stays small and current.
KEEP_PAST_DAYS = 366
REFRESH = datetime.timedelta(hours=6)


def _alarms(day: datetime.date, milestones, summary: str) -> list[Alarm]:
    """One display alarm per reminder milestone before or on the day, at 09:00 JST."""
    alarms = []
    for _name, offset in milestones:
        when = day + offset
        if when > day:
            continue
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", summary)
        at = datetime.datetime.combine(when, ALARM_TIME, tzinfo=TOKYO)
        alarm.add("trigger", at.astimezone(datetime.UTC))
        alarms.append(alarm)
    return alarms


def _event(uid: str, day: datetime.date, summary: str, path: str, milestones) -> Event:
    event = Event()
    event.add("uid", f"{uid}@ccus-vault")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", day)
    event.add("dtend", day + datetime.timedelta(days=1))
    event.add("summary", summary)
    url = settings.SITE_URL.rstrip("/") + path
    event.add("description", _("Check and update it in CCUS Vault: %(url)s") % {"url": url})
    event.add("url", url)
    event.add("transp", "TRANSPARENT")
    for alarm in _alarms(day, milestones, summary):
        event.add_component(alarm)
    return event


def _sources(organization: Organization, since: datetime.date):
    """Yield (rows of (uid, record uuid, name, date), kind, summary, record page, milestones)."""
    yield (
        Company.objects.filter(organization=organization, registration_expires_on__gte=since)
        .values_list("uuid", "uuid", "name", "registration_expires_on"),
        "registration", _("Business registration expires: %(name)s"), "ccus:companies-detail",
        REGISTRATION_MILESTONES,
    )  # fmt: skip
    yield (
        Worker.objects.filter(
            organization=organization, status=WorkerStatus.ACTIVE, card_expires_on__gte=since
        ).values_list("uuid", "uuid", "name", "card_expires_on"),
        "card", _("CCUS card expires: %(name)s"), "ccus:workers-detail", CARD_MILESTONES,
    )  # fmt: skip
    # A fee's label may hold a manager ID itself: the feed names the business only.
    yield (
        ManagerIdFee.objects.filter(company__organization=organization, due_on__gte=since)
        .values_list("uuid", "company__uuid", "company__name", "due_on"),
        "fee", _("Manager ID fee due: %(name)s"), "ccus:companies-detail", FEE_MILESTONES,
    )  # fmt: skip


def _events(organization: Organization, since: datetime.date):
    """Yield the firm's dates as events, in three queries."""
    for rows, kind, summary, page, milestones in _sources(organization, since):
        for uid, record, name, day in rows:
            path = reverse(page, args=[record])
            yield _event(f"{kind}-{uid}", day, summary % {"name": name}, path, milestones)


def firm_calendar(organization: Organization) -> bytes:
    """Return the firm's calendar as iCalendar bytes."""
    calendar = Calendar()
    name = _("CCUS Vault: %(firm)s") % {"firm": organization.name}
    calendar.add("prodid", "-//CCUS Vault//Expiry dates//JA")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Tokyo")
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", REFRESH)
    since = timezone.localdate() - datetime.timedelta(days=KEEP_PAST_DAYS)
    for event in _events(organization, since):
        calendar.add_component(event)
    return calendar.to_ical()
