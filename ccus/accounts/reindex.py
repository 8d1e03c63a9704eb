"""Rewrite the blind indexes of every account under the keys listed now, in batches."""

from collections import Counter
from functools import reduce

from django.db import transaction
from django.db.models import Q

from ccus.accounts.lookup import index_fields
from ccus.accounts.models import CcusAccount
from ccus.accounts.versions import accounts_changed
from vault.crypto.blind_index import index_keys
from vault.crypto.fields import UNREADABLE, read_value

INDEX_COLUMNS = ("ccus_id_index", "ccus_id_index_new", "email_index", "email_index_new")


def reindex_accounts(model: type[CcusAccount], *, batch_size: int = 500) -> Counter:
    """Recompute each account's indexes from its ID and email; rewrite those that differ.

    Each batch is locked while it is rewritten, so an edit made meanwhile waits and then writes
    indexes of its own; accounts added meanwhile are written with every listed key already.
    """
    counts: Counter = Counter()
    firms: set[int] = set()
    last = 0
    columns = ("id", "uuid", "ccus_id", "registered_email", "organization__uuid", *INDEX_COLUMNS)
    while True:
        with transaction.atomic():
            batch = list(
                model.with_trash.select_for_update(of=("self",))
                .select_related("organization")
                .filter(pk__gt=last)
                .order_by("pk")
                .only(*columns)[:batch_size]
            )
            for account in batch:
                counts["accounts"] += 1
                ccus_id = read_value(account, "ccus_id")
                email = read_value(account, "registered_email")
                if UNREADABLE in (ccus_id, email):
                    counts["unreadable"] += 1  # its indexes stay as they are
                    continue
                wanted = index_fields(account.organization, ccus_id=ccus_id, email=email)
                if all(getattr(account, name) == value for name, value in wanted.items()):
                    counts["current"] += 1
                else:
                    model.with_trash.filter(pk=account.pk).update(**wanted)
                    counts["rewritten"] += 1
                    firms.add(account.organization_id)
        if not batch:
            break
        last = batch[-1].pk
    for organization_id in firms:  # shared-email figures count by the index: count again
        accounts_changed(organization_id)
    return counts


def unlisted_indexes(model: type[CcusAccount]) -> int:
    """Count the accounts still holding an index under a key that is no longer listed."""
    prefixes = [f"{version}|" for version, _key in index_keys()]
    stale = [
        Q(**{f"{column}__isnull": False})
        & reduce(lambda q, p: q & ~Q(**{f"{column}__startswith": p}), prefixes, Q())
        for column in INDEX_COLUMNS
    ]
    return model.with_trash.filter(reduce(lambda a, b: a | b, stale)).count()
