"""The firm's health report."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ccus.accounts.filters import FILTER_LABELS, dashboard_counts
from ccus.accounts.kinds import KIND
from ccus.accounts.models import Company, Worker
from ccus.health.history import health_history
from ccus.oversight.history import week_label
from ccus.oversight.models import Engagement
from vault.charts import line_chart
from vault.firms.permissions import require_membership


def dashboard(request: HttpRequest) -> HttpResponse:
    """Show the firm's health report; every figure links to the matching list."""
    membership = require_membership(request)
    organization = membership.organization
    sections = [
        (model._meta.verbose_name_plural, KIND[model], dashboard_counts(model, organization))
        for model in (Company, Worker)
    ]
    invitations = Engagement.objects.filter(
        subcontractor=organization, status=Engagement.Status.INVITED
    ).count()
    weeks = [(week_label(week), score) for week, score in health_history(organization)]
    context = {"sections": sections, "filter_labels": FILTER_LABELS, "invitations": invitations,
               "weeks": weeks, "chart": line_chart(weeks)}  # fmt: skip
    return render(request, "ccus/health/dashboard.html", context)
