"""Move an account added by mistake to the trash, list the trash, restore from it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ccus.accounts.kinds import KIND
from ccus.accounts.models import CcusAccount, Company, Worker
from ccus.accounts.trash import TRASH_DAYS, account_delete, account_restore, purge_date
from vault.firms.models import Role
from vault.firms.permissions import get_for_role, require_membership


def account_delete_view(request: HttpRequest, model: type[CcusAccount], uuid) -> HttpResponse:
    """Ask, then move an account to the trash (owners and admins)."""
    account = get_for_role(request, model.objects.all(), Role.ADMIN, uuid=uuid)
    if request.method == "POST":
        try:
            account_delete(account=account, actor=request.user, request=request)
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect(f"ccus:{KIND[model]}-detail", uuid=account.uuid)
        message = _(
            "Moved “%(name)s” to the trash. It can be restored there for %(days)s days, "
            "then it is deleted for good."
        )
        messages.success(request, message % {"name": account.name, "days": TRASH_DAYS})
        return redirect(f"ccus:{KIND[model]}")
    context = {"account": account, "kind": KIND[model], "days": TRASH_DAYS}
    return render(request, "ccus/accounts/delete.html", context)


def trash_view(request: HttpRequest) -> HttpResponse:
    """List the firm's accounts in the trash, newest first, with the day each is purged."""
    membership = require_membership(request, Role.ADMIN)
    rows = []
    for model in (Company, Worker):
        trashed = model.with_trash.filter(
            organization=membership.organization, deleted_at__isnull=False
        ).select_related("deleted_by")
        rows += [
            {"account": a, "kind": KIND[model], "purge_on": purge_date(a)}
            for a in trashed.only("uuid", "name", "deleted_at", "deleted_by__email")
        ]
    rows.sort(key=lambda row: row["account"].deleted_at, reverse=True)
    context = {
        "rows": rows,
        "days": TRASH_DAYS,
        "can_restore": membership.has_role(Role.OWNER),
    }
    return render(request, "ccus/accounts/trash.html", context)


@require_POST
def account_restore_view(request: HttpRequest, model: type[CcusAccount], uuid) -> HttpResponse:
    """Bring an account back from the trash (owners)."""
    in_trash = model.with_trash.filter(deleted_at__isnull=False)
    account = get_for_role(request, in_trash, Role.OWNER, uuid=uuid)
    try:
        account_restore(account=account, actor=request.user, request=request)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("ccus:trash")
    messages.success(request, _("Restored “%(name)s”.") % {"name": account.name})
    return redirect(f"ccus:{KIND[model]}-detail", uuid=account.uuid)
