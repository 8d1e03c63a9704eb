"""The office admin console: lists, detail, create, edit, field warnings, confirm, worker left."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ccus.accounts.filters import FILTER_LABELS
from ccus.accounts.forms import account_form_class
from ccus.accounts.kinds import KIND
from ccus.accounts.models import CcusAccount, Worker, WorkerStatus
from ccus.accounts.paging import FigurePaginator
from ccus.accounts.reveal import reveal_role
from ccus.accounts.selectors import (
    WARNED_FIELDS,
    WARNING_INPUTS,
    account_list,
    account_warnings,
    field_warnings,
)
from ccus.accounts.services import (
    account_create,
    account_draft,
    account_update,
    accounts_confirm,
)
from ccus.accounts.versions import accounts_version
from vault.crypto.fields import encrypted_fields, read_value
from vault.firms.models import Role
from vault.firms.permissions import get_for_role, require_membership

PAGE_SIZE = 50


def account_list_view(request: HttpRequest, model: type[CcusAccount]) -> HttpResponse:
    """List a firm's accounts, filtered and searched, one page at a time."""
    membership = require_membership(request)
    params = {
        "filter_name": request.GET.get("filter", ""),
        "status": request.GET.get("status", ""),
        "query": request.GET.get("q", ""),
    }
    accounts = account_list(model, membership.organization, **params)
    # The rows and the count are kept once per version of the firm's accounts (see the template).
    version = accounts_version(membership.organization_id)
    paginator = FigurePaginator(
        accounts, PAGE_SIZE, organization_id=membership.organization_id,
        name=f"count:{KIND[model]}:{params['filter_name']}:{params['status']}:{params['query']}",
        version=version,
    )  # fmt: skip
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "title": capfirst(model._meta.verbose_name_plural),
        "kind": KIND[model],
        "page": page,
        "params": params,
        "query": query.urlencode(),
        "filter_labels": FILTER_LABELS,
        "statuses": WorkerStatus.choices if model is Worker else [],
        "can_edit": membership.has_role(Role.STAFF),
        "id_label": model._meta.get_field("ccus_id").verbose_name,
        "password_label": model._meta.get_field("password").verbose_name,
        "can_copy_id": membership.has_role(reveal_role("ccus_id")),
        "can_copy_password": membership.has_role(reveal_role("password")),
        "can_see_trash": membership.has_role(Role.ADMIN),
        "rows_version": version,
    }
    return render(request, "ccus/accounts/list.html", context)


def account_detail(request: HttpRequest, model: type[CcusAccount], uuid) -> HttpResponse:
    """Show one account with every secret masked."""
    account = get_for_role(request, model.objects.all(), Role.VIEWER, uuid=uuid)
    membership = request._record_membership
    secrets = [f for f in encrypted_fields(model) if f.name != "ccus_id"]
    context = {
        "model": model,
        "kind": KIND[model],
        "account": account,
        "secrets": [(f, read_value(account, f.name)) for f in secrets],
        "revealable": {
            f.name
            for f in encrypted_fields(model)
            if membership.has_role(reveal_role(f.name, account))
        },
        "warnings": account_warnings(account),
        # The value asked for before confirming identity: shown (or ready to show) at once.
        "asked_field": request.GET.get("reveal", ""),
        "id_label": model._meta.get_field("ccus_id").verbose_name,
        "can_edit": membership.has_role(Role.STAFF),
        "can_delete": membership.has_role(Role.ADMIN),
        "overdue": is_overdue(account, account.organization.confirmation_policy_days),
    }
    return render(request, "ccus/accounts/detail.html", context)


def _save_form(request, form, save) -> CcusAccount | None:
    """Call the service with the form's values; put its errors on the form."""
    if not form.is_valid():
        return None
    try:
        return save(**form.changes())
    except ValidationError as error:
        form.add_error(None, error)
        return None


def _after_save(request: HttpRequest, account: CcusAccount, message: str) -> HttpResponse:
    # The detail page lists the account's warnings: a message would say each one twice.
    messages.success(request, message)
    return redirect(f"ccus:{KIND[type(account)]}-detail", uuid=account.uuid)


def account_create_view(request: HttpRequest, model: type[CcusAccount]) -> HttpResponse:
    """Add a business or worker account."""
    membership = require_membership(request, Role.STAFF)
    organization = membership.organization
    form = account_form_class(model)(request.POST or None, organization=organization)
    if request.method == "POST":
        account = _save_form(
            request,
            form,
            lambda **values: account_create(
                model=model,
                organization=organization,
                actor=request.user,
                request=request,
                **values,
            ),
        )
        if account is not None:
            return _after_save(request, account, _("Saved %(name)s.") % {"name": account.name})
    context = {"form": form, "model": model, "kind": KIND[model]}
    if form.is_bound:
        context["typed_warnings"] = _form_warnings(form, model(organization=organization))
    return render(request, "ccus/accounts/form.html", context)


def account_edit_view(request: HttpRequest, model: type[CcusAccount], uuid) -> HttpResponse:
    """Change a business or worker account; blank secrets keep what is stored."""
    account = get_for_role(request, model.objects.all(), Role.STAFF, uuid=uuid)
    form = account_form_class(model)(
        request.POST or None, organization=account.organization, account=account
    )
    if request.method == "POST":
        saved = _save_form(
            request,
            form,
            lambda **values: account_update(
                account=model.objects.get(pk=account.pk),
                actor=request.user,
                request=request,
                **values,
            ),
        )
        if saved is not None:
            return _after_save(request, saved, _("Saved %(name)s.") % {"name": saved.name})
    context = {"form": form, "model": model, "kind": KIND[model], "account": account}
    if form.is_bound:
        context["typed_warnings"] = _form_warnings(form, account)
    return render(request, "ccus/accounts/form.html", context)


def _typed_warnings(form, account: CcusAccount, name: str) -> list:
    values = form.values_for(WARNING_INPUTS.get(name, [name]))
    try:
        draft = account_draft(account=account, **values)
    except ValidationError:
        return []  # a refused value is explained when the form is saved
    return field_warnings(draft, name)


def _form_warnings(form, account: CcusAccount) -> dict[str, list[str]]:
    """Return, by field, the warnings of what was typed in a form sent back to be corrected."""
    names = [name for name in WARNED_FIELDS if name in form.fields]
    return {name: [w.message for w in _typed_warnings(form, account, name)] for name in names}


@require_POST
def account_field_warnings(
    request: HttpRequest, model: type[CcusAccount], uuid=None
) -> JsonResponse:
    """Return, as JSON, the warnings about the field just left in an account form."""
    if uuid is None:
        organization = require_membership(request, Role.STAFF).organization
        account = model(organization=organization)
    else:
        account = get_for_role(request, model.objects.all(), Role.STAFF, uuid=uuid)
    name = request.POST.get("field", "")
    warnings = []
    if name in WARNED_FIELDS:
        form = account_form_class(model)(
            request.POST, organization=account.organization, account=account if uuid else None
        )
        if name in form.fields:
            warnings = _typed_warnings(form, account, name)
    response = JsonResponse({"field": name, "warnings": [w.message for w in warnings]})
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def account_confirm_view(request: HttpRequest, model: type[CcusAccount]) -> HttpResponse:
    """Mark the chosen accounts as checked and correct today."""
    membership = require_membership(request, Role.STAFF)
    chosen = model.objects.filter(
        organization=membership.organization, uuid__in=request.POST.getlist("accounts")
    )
    count = accounts_confirm(accounts=chosen, actor=request.user, request=request)
    if count:
        messages.success(request, _("Marked %(count)d accounts as confirmed.") % {"count": count})
    else:
        messages.warning(request, _("Choose the accounts to mark as confirmed."))
    back = request.POST.get("back", "")
    if url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        return redirect(back)
    return redirect(f"ccus:{KIND[model]}")


def is_overdue(account: CcusAccount, policy_days: int) -> bool:
    """Tell whether the account was last confirmed longer ago than the policy allows."""
    if account.last_confirmed_at is None:
        return True
    return timezone.now() - account.last_confirmed_at > datetime.timedelta(days=policy_days)
