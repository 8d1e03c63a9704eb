"""Reveal one secret on purpose: recent re-authentication, role, rate limit, audit, no-store."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ccus.accounts.kinds import KIND
from ccus.accounts.models import CcusAccount
from vault.audit.models import AuditEvent
from vault.audit.services import audit_record
from vault.auth.reauth import reauth_redirect, recently_reauthenticated
from vault.crypto.fields import encrypted_fields, read_value
from vault.firms.models import Role
from vault.firms.permissions import get_for_role

# Only owners and admins see these; staff may see the other secrets.
PASSWORD_FIELDS = {"password", "initial_password", "security_code"}
REVEAL_ACTION = "secret.reveal"


def reveal_role(field: str, account: CcusAccount | None = None) -> str:
    """Return the lowest role that may reveal a field of the account."""
    if field in PASSWORD_FIELDS:
        return Role.ADMIN
    # A hint that holds the code is the code: only those who may see the code see it.
    if field == "security_code_hint" and account is not None and account.hint_is_code:
        return reveal_role("security_code")
    return Role.STAFF


def reveal_value(
    request: HttpRequest, account: CcusAccount, field: str, action: str = REVEAL_ACTION
):
    """Return one stored value of an account and record in the audit log that it was shown.

    A value that does not open for this record comes back as UNREADABLE, shown as such.
    """
    value = read_value(account, field)
    audit_record(
        action=action,
        actor=request.user,
        organization=account.organization,
        target=account,
        field=field,
        request=request,
    )
    return value


def too_many_reveals(user) -> bool:
    """Tell whether the user reached the reveal limit of the last ten minutes."""
    since = timezone.now() - datetime.timedelta(minutes=10)
    recent = AuditEvent.objects.filter(actor=user, action=REVEAL_ACTION, created_at__gte=since)
    return recent.count() >= settings.REVEALS_PER_10_MINUTES


@require_POST
@never_cache
def account_reveal(request: HttpRequest, model: type[CcusAccount], uuid) -> HttpResponse:
    """Show one secret of one account once, and record that it was shown."""
    field_name = request.POST.get("field", "")
    fields = {f.name: f for f in encrypted_fields(model)}
    if field_name not in fields:
        raise Http404("No such field")
    account = get_for_role(request, model.objects.all(), reveal_role(field_name), uuid=uuid)
    if not request._record_membership.has_role(reveal_role(field_name, account)):
        raise PermissionDenied
    if not recently_reauthenticated(request):
        return reauth_redirect(request, reverse(f"ccus:{KIND[model]}-detail", args=[uuid]))
    if too_many_reveals(request.user):
        response = render(request, "ccus/accounts/reveal_limited.html", status=429)
        response["Cache-Control"] = "no-store"
        return response
    value = reveal_value(request, account, field_name)
    context = {
        "account": account,
        "kind": KIND[model],
        "label": fields[field_name].verbose_name,
        "value": value,
    }
    response = render(request, "ccus/accounts/reveal.html", context)
    response["Cache-Control"] = "no-store"
    return response
