"""What the console views share: URL names per kind of account, who may reveal what."""

from ccus.models import Company, Worker
from vault.models import Role

KIND = {Worker: "workers", Company: "companies"}
# Only owners and admins see these; staff may see the other secrets.
PASSWORD_FIELDS = {"password", "initial_password", "security_code"}


def reveal_role(field: str) -> str:
    """Return the lowest role that may reveal a field."""
    return Role.ADMIN if field in PASSWORD_FIELDS else Role.STAFF
