"""Named problem filters of accounts, shared by the dashboard counts and the lists."""

import datetime

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ccus.accounts.lookup import grouping_column
from ccus.accounts.models import CcusAccount, Company, Worker, WorkerStatus
from vault.firms.models import Organization

FILTER_LABELS = {
    "missing_id": _("No ID"),
    "missing_email": _("No registered email"),
    "unconfirmed": _("Not confirmed within the policy"),
    "expiring": _("Expires within 6 months"),
    "expired": _("Expired"),
    "shared_email": _("Registered email shared"),
    "hint_is_code": _("“Hint” that holds the code"),
}


def expiry_field(model: type[CcusAccount]) -> str:
    """Return the name of the date on which the account's registration or card expires."""
    return "registration_expires_on" if model is Company else "card_expires_on"


def _emails_elsewhere(model: type[CcusAccount], organization: Organization) -> Q:
    """Match accounts whose registered email is on another account of the firm."""
    other = Worker if model is Company else Company
    email = grouping_column("email_index")
    in_firm = {"organization": organization, f"{email}__isnull": False}
    duplicates = (
        model.objects.filter(**in_firm)
        .values(email)
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values(email)
    )
    on_other_kind = other.objects.filter(**in_firm).values(email)
    return Q(**{f"{email}__in": duplicates}) | Q(**{f"{email}__in": on_other_kind})


def filter_q(
    name: str, model: type[CcusAccount], organization: Organization, today: datetime.date
) -> Q:
    """Return the condition of one named filter."""
    expiry = expiry_field(model)
    cutoff = timezone.now() - datetime.timedelta(days=organization.confirmation_policy_days)
    conditions = {
        "missing_id": lambda: Q(ccus_id_index__isnull=True),
        "missing_email": lambda: Q(email_index__isnull=True),
        "unconfirmed": lambda: Q(last_confirmed_at__isnull=True) | Q(last_confirmed_at__lt=cutoff),
        "expiring": lambda: Q(
            **{f"{expiry}__gte": today, f"{expiry}__lt": today + relativedelta(months=6)}
        ),
        "expired": lambda: Q(**{f"{expiry}__lt": today}),
        "shared_email": lambda: _emails_elsewhere(model, organization),
        "hint_is_code": lambda: Q(hint_is_code=True),
    }
    return conditions[name]()


def in_scope(model: type[CcusAccount], organization: Organization) -> QuerySet:
    """Return the firm's accounts that need looking after (workers who left are not)."""
    accounts = model.objects.filter(organization=organization)
    if model is Worker:
        accounts = accounts.filter(status=WorkerStatus.ACTIVE)
    return accounts


def dashboard_counts(model: type[CcusAccount], organization: Organization) -> dict[str, int]:
    """Count the firm's accounts in total and per problem filter, in one aggregate query."""
    today = timezone.localdate()
    aggregates = {
        name: Count("id", filter=filter_q(name, model, organization, today))
        for name in FILTER_LABELS
    }
    return in_scope(model, organization).aggregate(total=Count("id"), **aggregates)
