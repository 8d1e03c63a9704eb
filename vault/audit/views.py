"""The audit log page of a firm: filter, paginate, export as CSV for Excel."""

import datetime

from django import forms
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vault.audit.labels import action_choices, action_label, field_label
from vault.audit.models import AuditEvent
from vault.firms.models import Role
from vault.firms.permissions import require_membership
from vault.spreadsheets import csv_response


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=gettext_lazy("Action"), required=False)
    actor = forms.CharField(label=gettext_lazy("Who (email)"), required=False)
    record = forms.CharField(label=gettext_lazy("Record name"), required=False)
    since = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=gettext_lazy("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, organization, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        recorded = AuditEvent.objects.filter(organization=organization).order_by()
        everything = [("", _("All actions"))]
        actions = recorded.values_list("action", flat=True).distinct()
        self.fields["action"].choices = everything + action_choices(actions)


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def filtered_events(organization, data: dict) -> QuerySet[AuditEvent]:
    """Return the firm's audit events narrowed by the filter form's cleaned data."""
    events = AuditEvent.objects.filter(organization=organization).select_related("actor")
    if data.get("action"):
        events = events.filter(action=data["action"])
    if data.get("actor"):
        events = events.filter(actor__email__icontains=data["actor"])
    if data.get("record"):
        events = events.filter(target_label__icontains=data["record"])
    # Bounds in time rather than on the date of created_at, so the index reads only the range.
    if data.get("since"):
        events = events.filter(created_at__gte=_day_start(data["since"]))
    if data.get("until"):
        events = events.filter(created_at__lt=_day_start(data["until"] + datetime.timedelta(1)))
    return events.order_by("-created_at", "-id")


def _csv_response(events: QuerySet[AuditEvent]) -> HttpResponse:
    header = [_("When"), _("Who"), _("Action"), _("Record"), _("Field"), _("IP address")]
    rows = (
        [
            timezone.localtime(event.created_at).strftime("%Y-%m-%d %H:%M:%S"),
            event.actor.email if event.actor else "",
            action_label(event.action),
            event.target_label,
            field_label(event.target_type, event.field),
            event.ip_address or "",
        ]
        for event in events.iterator()
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return csv_response(header, rows, f"audit-log-{stamp}")


def audit_log(request: HttpRequest) -> HttpResponse:
    """Show who revealed or changed what, for owners and admins."""
    membership = require_membership(request, Role.ADMIN)
    form = AuditFilterForm(request.GET or None, organization=membership.organization)
    data = form.cleaned_data if form.is_valid() else {}
    events = filtered_events(membership.organization, data)
    if request.GET.get("format") == "csv":
        return _csv_response(events)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    for event in page:
        event.action_text = action_label(event.action)
        event.field_text = field_label(event.target_type, event.field)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "vault/audit/log.html", {"form": form, "page": page, "query": query.urlencode()}
    )
