"""Write checked roster rows: every valid row in one transaction, or nothing."""

from collections import Counter

from django.db import transaction
from django.http import HttpRequest

from ccus.accounts.models import Worker
from ccus.accounts.services import _refresh_derived
from ccus.rosters.rows import RowResult
from vault.audit.services import audit_record
from vault.firms.models import Organization

BATCH = 500


def _apply(worker: Worker, values: dict) -> None:
    """Set the row's values; an empty cell keeps what the vault has."""
    for name, value in values.items():
        if value not in (None, ""):
            setattr(worker, name, value)


@transaction.atomic
def roster_import(
    *, organization: Organization, results: list[RowResult], actor, request: HttpRequest | None,
    filename: str = "", model=Worker,
) -> Counter:  # fmt: skip
    """Create new accounts and update matched ones; rows with errors are left out."""
    counts: Counter = Counter(result.action for result in results)
    new = []
    for result in results:
        if result.action == "new":
            worker = model(organization=organization)
            _apply(worker, result.values)
            _refresh_derived(worker)
            new.append(worker)
    model.objects.bulk_create(new, batch_size=BATCH)
    updates = {r.existing_id: r for r in results if r.action == "update"}
    changed = []
    for worker in model.objects.filter(organization=organization, id__in=list(updates)):
        _apply(worker, updates[worker.id].values)
        _refresh_derived(worker)
        changed.append(worker)
    fields = sorted({name for r in updates.values() for name, v in r.values.items() if v} |
                    {"ccus_id_index", "ccus_id_last4", "email_index", "hint_is_code"})  # fmt: skip
    if changed:
        model.objects.bulk_update(changed, fields, batch_size=BATCH)
    audit_record(
        action="roster.import",
        actor=actor,
        organization=organization,
        request=request,
        created=len(new),
        updated=len(changed),
        skipped=counts["error"] + counts["duplicate"],
    )
    return counts
