"""Rewrite the blind indexes of every account under the keys listed now, in batches."""

from collections import Counter
from functools import reduce

from django.db import transaction
from django.db.models import Q

from ccus.accounts.lookup import index_fields
from ccus.accounts.models import CcusAccount
from vault.crypto.blind_index import index_keys
from vault.firms.models import Organization

INDEX_COLUMNS = ("ccus_id_index", "ccus_id_index_new", "email_index", "email_index_new")


def reindex_accounts(model: type[CcusAccount], *, batch_size: int = 500) -> Counter:
    """Recompute each account's indexes from its ID and email; rewrite those that differ.

    Each batch is locked while it is rewritten, so an edit made meanwhile waits and then writes
    indexes of its own; accounts added meanwhile are written with every listed key already.
    """
    firms = {firm.id: firm for firm in Organization.objects.only("id", "uuid")}
    counts: Counter = Counter()
    last = 0
    while True:
        with transaction.atomic():
            batch = list(
                model.objects.select_for_update()
                .filter(pk__gt=last)
                .order_by("pk")
                .only("id", "organization_id", "ccus_id", "registered_email", *INDEX_COLUMNS)[
                    :batch_size
                ]
            )
            for account in batch:
                wanted = index_fields(
                    firms[account.organization_id],
                    ccus_id=account.ccus_id,
                    email=account.registered_email,
                )
                counts["accounts"] += 1
                if all(getattr(account, name) == value for name, value in wanted.items()):
                    counts["current"] += 1
                else:
                    model.objects.filter(pk=account.pk).update(**wanted)
                    counts["rewritten"] += 1
        if not batch:
            return counts
        last = batch[-1].pk


def unlisted_indexes(model: type[CcusAccount]) -> int:
    """Count the accounts still holding an index under a key that is no longer listed."""
    prefixes = [f"{version}|" for version, _key in index_keys()]
    stale = [
        Q(**{f"{column}__isnull": False})
        & reduce(lambda q, p: q & ~Q(**{f"{column}__startswith": p}), prefixes, Q())
        for column in INDEX_COLUMNS
    ]
    return model.objects.filter(reduce(lambda a, b: a | b, stale)).count()
