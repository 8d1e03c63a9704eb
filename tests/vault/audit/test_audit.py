"""Audit events say who did what to which record, never a value."""

import datetime

import pytest
from django.test import RequestFactory

from tests.factories import leaked, make_secret_worker
from vault.audit.models import AuditEvent
from vault.audit.services import audit_record
from vault.audit.views import filtered_events


@pytest.mark.django_db
def test_it_records_who_what_where(owner, organization):
    worker = make_secret_worker(organization)
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.7", HTTP_USER_AGENT="TestBrowser/1")
    event = audit_record(
        action="worker.reveal",
        actor=owner,
        organization=organization,
        target=worker,
        field="password",
        request=request,
    )
    assert (event.actor, event.target_type, event.target_uuid) == (owner, "worker", worker.uuid)
    assert (event.ip_address, event.user_agent, event.field) == (
        "192.0.2.7",
        "TestBrowser/1",
        "password",
    )


@pytest.mark.django_db
def test_it_refuses_a_string_detail_that_could_carry_a_value(organization):
    with pytest.raises(TypeError):
        audit_record(action="worker.update", organization=organization, password="x")


@pytest.mark.django_db
def test_it_logs_changed_field_names_without_values(owner, organization):
    make_secret_worker(organization, actor=owner)
    event = AuditEvent.objects.get(action="worker.create")
    assert event.actor == owner
    assert "password" in event.details["fields"]
    dumped = str(AuditEvent.objects.values().get(pk=event.pk))
    assert leaked(dumped) == []


@pytest.mark.django_db
def test_the_log_s_dates_are_whole_days_in_japan(organization):
    tokyo = datetime.timezone(datetime.timedelta(hours=9))
    times = {
        "before": datetime.datetime(2026, 4, 30, 23, 59, 59, tzinfo=tokyo),
        "first": datetime.datetime(2026, 5, 1, 0, 0, tzinfo=tokyo),
        "last": datetime.datetime(2026, 5, 2, 23, 59, 59, 999999, tzinfo=tokyo),
        "after": datetime.datetime(2026, 5, 3, 0, 0, tzinfo=tokyo),
    }
    for label, moment in times.items():
        AuditEvent.objects.create(
            organization=organization, action="worker.update", target_label=label,
            created_at=moment,
        )  # fmt: skip
    days = {"since": datetime.date(2026, 5, 1), "until": datetime.date(2026, 5, 2)}
    found = filtered_events(organization, days).values_list("target_label", flat=True)
    assert list(found) == ["last", "first"]
