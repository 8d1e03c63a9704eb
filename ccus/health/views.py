"""The firm's health report."""

from django.apps import apps
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst

from ccus.accounts.filters import FILTER_LABELS, dashboard_counts
from ccus.accounts.kinds import KIND
from ccus.accounts.models import Company, Worker
from ccus.accounts.versions import firm_figures
from ccus.health.history import health_history
from ccus.health.todo import first_steps, next_steps
from ccus.oversight.history import week_label
from ccus.oversight.models import Engagement
from vault.charts import line_chart
from vault.compiled import CompiledQuery
from vault.crypto.tamper import unreadable_values
from vault.firms.permissions import require_membership

# Asked on every view of the report: compiled once.
_invitations_to = CompiledQuery(
    lambda organization_id: Engagement.objects.filter(
        subcontractor_id=organization_id, status=Engagement.Status.INVITED
    ).only("id")
)


def unreadable_rows(organization) -> list[dict]:
    """Describe the firm's values that do not open: which field of which account."""
    rows = []
    for entry in unreadable_values(organization):
        model = apps.get_model(entry.model)
        kind = KIND.get(model)
        rows.append(
            {
                "model": model._meta.verbose_name,
                "field": model._meta.get_field(entry.field).verbose_name,
                "url_name": f"ccus:{kind}-detail" if kind else "",
                "uuid": entry.record_uuid,
            }
        )
    return rows


def dashboard(request: HttpRequest) -> HttpResponse:
    """Show the firm's health report; every figure links to the matching list."""
    membership = require_membership(request)
    organization = membership.organization
    # Counted in SQL once per change of the firm's accounts (and per day and policy), not per view.
    when = f"{timezone.localdate():%Y%m%d}:{organization.confirmation_policy_days}"
    models = (Company, Worker)
    figures = firm_figures(organization.id, {
        **{f"counts:{KIND[model]}:{when}": lambda model=model: dashboard_counts(model, organization)
           for model in models},
        f"history:{when}": lambda: health_history(organization),
    })  # fmt: skip
    sections = [
        (
            capfirst(model._meta.verbose_name_plural),
            KIND[model],
            figures[f"counts:{KIND[model]}:{when}"],
        )
        for model in models
    ]
    invitations = len(_invitations_to(organization.id))
    weeks = [(week_label(week), score) for week, score in figures[f"history:{when}"]]
    totals = {kind: counts["total"] for _title, kind, counts in sections}
    context = {
        "sections": sections,
        "next_steps": next_steps(sections),
        "first_steps": first_steps(membership, totals),
        "has_accounts": any(totals.values()),
        # A firm that had accounts keeps its history; a new one is not shown a line of zeros.
        "show_chart": any(totals.values()) or any(score for _week, score in weeks),
        "filter_labels": FILTER_LABELS,
        "list_urls": {kind: reverse(f"ccus:{kind}") for _title, kind, _counts in sections},
        "invitations": invitations,
        "weeks": weeks,
        "chart": line_chart(weeks),
        "unreadable": unreadable_rows(organization),
    }
    return render(request, "ccus/health/dashboard.html", context)
