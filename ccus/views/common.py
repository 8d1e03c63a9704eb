"""What the console views share: URL names per kind of account, who may reveal what."""

from django.http import HttpRequest

from ccus.models import CcusAccount, Company, Worker
from vault.audit.services import audit_record
from vault.firms.models import Role

KIND = {Worker: "workers", Company: "companies"}
# Only owners and admins see these; staff may see the other secrets.
PASSWORD_FIELDS = {"password", "initial_password", "security_code"}


def reveal_role(field: str) -> str:
    """Return the lowest role that may reveal a field."""
    return Role.ADMIN if field in PASSWORD_FIELDS else Role.STAFF


REVEAL_ACTION = "secret.reveal"


def reveal_value(
    request: HttpRequest, account: CcusAccount, field: str, action: str = REVEAL_ACTION
):
    """Return one stored value of an account and record in the audit log that it was shown."""
    value = getattr(account, field)
    audit_record(
        action=action,
        actor=request.user,
        organization=account.organization,
        target=account,
        field=field,
        request=request,
    )
    return value
