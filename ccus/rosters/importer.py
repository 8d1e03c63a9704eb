"""Write checked roster rows: every valid row in one transaction, or nothing."""

import itertools
from collections import Counter
from collections.abc import Callable, Iterable, Iterator

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from ccus.accounts.models import Worker
from ccus.accounts.services import refresh_derived
from ccus.accounts.versions import accounts_changed
from ccus.rosters.rows import RowResult
from ccus.rosters.writes import write_new_accounts
from vault.audit.services import audit_record
from vault.firms.models import Organization

BATCH = 500
CHUNK = 2_000  # rows written per COPY when the rows come as one list
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


def _batched(results: Iterable[RowResult]) -> Iterator[list[RowResult]]:
    rows = iter(results)
    while chunk := list(itertools.islice(rows, CHUNK)):
        yield chunk


def _update(organization: Organization, results: list[RowResult], actor, model) -> int:
    """Write the changed cells of rows whose ID the vault holds; return how many changed."""
    updates = {r.existing_id: r for r in results}
    changed = []
    for account in model.objects.filter(organization=organization, id__in=list(updates)):
        _apply(account, updates[account.id].values, actor)
        changed.append(account)
    fields = sorted({name for r in results for name, v in r.values.items() if v} | DERIVED)
    if changed:
        model.objects.bulk_update(changed, fields, batch_size=BATCH)
    return len(changed)


@transaction.atomic
def roster_import(
    *, organization: Organization, results: Iterable[RowResult] = (), actor,
    request: HttpRequest | None, filename: str = "", model=Worker,
    chunks: Iterable[list[RowResult]] | None = None, progress: Callable[[int], None] | None = None,
) -> Counter:  # fmt: skip
    """Create new accounts and update changed ones; unchanged rows and rows with errors stay.

    The rows come checked (results), or in chunks checked as the file is read (check_chunks);
    progress hears how many rows are done after each chunk.
    """
    counts: Counter = Counter()
    created = updated = 0
    for chunk in chunks if chunks is not None else _batched(results):
        counts.update(result.action for result in chunk)
        new = [result for result in chunk if result.action == "new"]
        created += write_new_accounts(organization, new, actor, model, timezone.now())
        updated += _update(organization, [r for r in chunk if r.action == "update"], actor, model)
        if progress is not None:
            progress(counts.total())
    accounts_changed(organization.id)
    audit_record(
        action="roster.import",
        actor=actor,
        organization=organization,
        request=request,
        created=created,
        updated=updated,
        unchanged=counts["unchanged"],
        skipped=counts["error"] + counts["duplicate"],
    )
    return counts
