"""Record audit events: who did what to which record, never a secret value."""

from django.db import models
from django.http import HttpRequest

from vault.audit.models import AuditEvent
from vault.firms.models import Organization

# Only plain counts, field names and labels may go into details.
_ALLOWED_DETAIL_TYPES = (int, bool, type(None))


def _client_address(request: HttpRequest | None) -> tuple[str | None, str]:
    if request is None:
        return None, ""
    return request.META.get("REMOTE_ADDR"), request.META.get("HTTP_USER_AGENT", "")[:300]


def _check_details(details: dict) -> dict:
    for key, value in details.items():
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            continue  # field names
        if not isinstance(value, _ALLOWED_DETAIL_TYPES):
            raise TypeError(f"Audit detail {key!r} must be a count, a flag or a list of names.")
    return details


def audit_record(
    *,
    action: str,
    actor=None,
    organization: Organization | None = None,
    organization_id: int | None = None,
    target: models.Model | None = None,
    field: str = "",
    request: HttpRequest | None = None,
    **details,
) -> AuditEvent:
    """Write one audit event; details hold only counts, flags and field names."""
    ip_address, user_agent = _client_address(request)
    return AuditEvent.objects.create(
        organization_id=organization.id if organization is not None else organization_id,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_type=target._meta.model_name if target is not None else "",
        target_uuid=getattr(target, "uuid", None),
        target_label=str(target)[:200] if target is not None else "",
        field=field,
        details=_check_details(details),
        ip_address=ip_address,
        user_agent=user_agent,
    )
