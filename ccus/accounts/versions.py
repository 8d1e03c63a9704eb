"""A firm's accounts version: figures cached under it never outlive a change to the accounts."""

import uuid
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction

T = TypeVar("T")
# A cached figure also expires on its own, so what no write can announce (the clock moving past
# a policy's cutoff, a deletion in the admin) is at most this old.
FIGURE_SECONDS = 300


def _version_key(organization_id: int) -> str:
    return f"accounts-version:{organization_id}"


def accounts_version(organization_id: int) -> str:
    """Return the current version of the firm's accounts (a new one after any change)."""
    key = _version_key(organization_id)
    version = cache.get(key)
    if version is None:
        cache.add(key, uuid.uuid4().hex, timeout=None)  # add: a concurrent change wins
        version = cache.get(key) or "unversioned"
    return version


def accounts_changed(organization_id: int) -> None:
    """Give the firm's accounts a new version now, and again once the transaction commits.

    The second one drops what a reader may have counted, under the first, before the commit.
    """
    key = _version_key(organization_id)
    cache.set(key, uuid.uuid4().hex, timeout=None)
    transaction.on_commit(lambda: cache.set(key, uuid.uuid4().hex, timeout=None))


def firm_figures(
    organization_id: int, computes: dict[str, Callable[[], T]], version: str | None = None
) -> dict[str, T]:
    """Return figures about the firm's accounts, each computed once per version of them.

    A caller that already read the version passes it: one round trip to the cache less.
    """
    version = version or accounts_version(organization_id)
    if version == "unversioned":  # the cache does not answer: compute every time
        return {name: compute() for name, compute in computes.items()}
    keys = {name: f"figure:{organization_id}:{version}:{name}" for name in computes}
    found = cache.get_many(list(keys.values()))
    figures, missing = {}, {}
    for name, key in keys.items():
        if key in found:
            figures[name] = found[key]
        else:
            figures[name] = missing[key] = computes[name]()
    if missing:
        cache.set_many(missing, timeout=FIGURE_SECONDS)
    return figures


def firm_figure(
    organization_id: int, name: str, compute: Callable[[], T], version: str | None = None
) -> T:
    """Return one figure about the firm's accounts, computed once per version of them."""
    return firm_figures(organization_id, {name: compute}, version)[name]
