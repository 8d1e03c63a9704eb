"""Reveal or copy one secret on purpose: recent re-authentication, role, limit, audit, no-store.

The detail page's script asks for the value alone (header X-Fragment: 1) and shows it in place,
or puts it on the clipboard without showing it; without the script the value gets a page.
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ccus.accounts.kinds import KIND
from ccus.accounts.models import CcusAccount
from vault.audit.models import AuditEvent
from vault.audit.services import audit_record
from vault.auth.reauth import reauth_redirect_to, recently_reauthenticated
from vault.crypto.fields import encrypted_fields, read_value
from vault.firms.models import Role
from vault.firms.permissions import get_for_role

# Only owners and admins see these; staff may see the other secrets.
PASSWORD_FIELDS = {"password", "initial_password", "security_code"}
REVEAL_ACTION = "secret.reveal"
# Put on the clipboard without being shown on screen.
COPY_ACTION = "secret.copy"


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
    recent = AuditEvent.objects.filter(
        actor=user, action__in=[REVEAL_ACTION, COPY_ACTION], created_at__gte=since
    )
    return recent.count() >= settings.REVEALS_PER_10_MINUTES


def asked_value_url(model: type[CcusAccount], uuid, field: str) -> str:
    """Return the detail page that shows field of the account as soon as it opens."""
    detail = reverse(f"ccus:{KIND[model]}-detail", args=[uuid])
    return f"{detail}?{urlencode({'reveal': field})}#secret-{field}"


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@never_cache
def account_reveal(request: HttpRequest, model: type[CcusAccount], uuid) -> HttpResponse:
    """Show (or copy) one secret of one account once, and record that it was shown."""
    field_name = request.POST.get("field", "")
    fields = {f.name: f for f in encrypted_fields(model)}
    if field_name not in fields:
        raise Http404("No such field")
    account = get_for_role(request, model.objects.all(), reveal_role(field_name), uuid=uuid)
    if not request._record_membership.has_role(reveal_role(field_name, account)):
        raise PermissionDenied
    if not recently_reauthenticated(request):
        # Back to the value that was asked for, not merely to the page it was asked from.
        return reauth_redirect_to(asked_value_url(model, uuid, field_name))
    fragment = request.headers.get("X-Fragment") == "1"
    if too_many_reveals(request.user):
        template = "reveal_limited_note.html" if fragment else "reveal_limited.html"
        return _no_store(render(request, f"ccus/accounts/{template}", status=429))
    copied = fragment and request.POST.get("purpose") == "copy"
    value = reveal_value(request, account, field_name, COPY_ACTION if copied else REVEAL_ACTION)
    context = {
        "account": account,
        "kind": KIND[model],
        "field": field_name,
        "label": capfirst(fields[field_name].verbose_name),
        "value": value,
    }
    template = "reveal_value.html" if fragment else "reveal.html"
    return _no_store(render(request, f"ccus/accounts/{template}", context))
