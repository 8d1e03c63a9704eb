"""Write checked roster rows: every valid row in one transaction, or nothing."""

from collections import Counter

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from ccus.accounts.models import Worker
from ccus.accounts.services import refresh_derived
from ccus.accounts.versions import accounts_changed
from ccus.rosters.rows import RowResult
from vault.audit.services import audit_record
from vault.firms.models import Organization

BATCH = 500
DERIVED = {"ccus_id_index", "ccus_id_index_new", "ccus_id_last4", "email_index", "email_index_new",
           "hint_is_code", "search_text", "last_confirmed_at", "last_confirmed_by",
           "updated_at"}  # fmt: skip


def _apply(account, values: dict, actor) -> None:
    """Set the row's values (an empty cell keeps what the vault has); the import confirms it."""
    for name, value in values.items():
        if value not in (None, ""):
            setattr(account, name, value)
    refresh_derived(account)
    account.last_confirmed_at = account.updated_at = timezone.now()
    account.last_confirmed_by = actor


@transaction.atomic
def roster_import(
    *, organization: Organization, results: list[RowResult], actor, request: HttpRequest | None,
    filename: str = "", model=Worker,
) -> Counter:  # fmt: skip
    """Create new accounts and update changed ones; unchanged rows and rows with errors stay."""
    counts: Counter = Counter(result.action for result in results)
    new = []
    for result in results:
        if result.action == "new":
            account = model(organization=organization)
            _apply(account, result.values, actor)
            new.append(account)
    model.objects.bulk_create(new, batch_size=BATCH)
    updates = {r.existing_id: r for r in results if r.action == "update"}
    changed = []
    for account in model.objects.filter(organization=organization, id__in=list(updates)):
        _apply(account, updates[account.id].values, actor)
        changed.append(account)
    fields = sorted({name for r in updates.values() for name, v in r.values.items() if v} | DERIVED)
    if changed:
        model.objects.bulk_update(changed, fields, batch_size=BATCH)
    accounts_changed(organization.id)
    audit_record(
        action="roster.import",
        actor=actor,
        organization=organization,
        request=request,
        created=len(new),
        updated=len(changed),
        unchanged=counts["unchanged"],
        skipped=counts["error"] + counts["duplicate"],
    )
    return counts
