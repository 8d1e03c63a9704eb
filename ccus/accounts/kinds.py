"""The two kinds of CCUS account: the name of each kind and where its pages are."""

from ccus.accounts.models import CcusAccount, Company, Worker

# URL names of each kind's pages: "ccus:workers", "ccus:workers-detail", ...
KIND = {Worker: "workers", Company: "companies"}
# The kind of ID an account holds, as the validators name it.
ID_KIND = {Company: "company", Worker: "worker"}


def kind_of(account: CcusAccount) -> str:
    """Return "company" or "worker"."""
    return ID_KIND[type(account)]
