"""Reminder emails for Prometheus: deliveries by status, read from the database at each scrape."""

from collections.abc import Iterable

from django.db.models import Count

from ccus.reminders.models import ReminderDelivery
from vault.ops.metrics import gauge


def reminder_deliveries() -> Iterable:
    """Yield how many reminders are pending, being sent, sent and failed."""
    counts = dict(ReminderDelivery.objects.order_by().values_list("status").annotate(n=Count("id")))
    yield gauge("ccus_vault_reminder_deliveries", "Reminders by delivery status.", "status", counts)
