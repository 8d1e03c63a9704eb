"""The recovery assistant: "CCUSにログインできない" to the next step, the sheet, the handover."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ccus.accounts.kinds import KIND, kind_of
from ccus.accounts.models import CcusAccount
from ccus.accounts.reveal import reveal_role, reveal_value
from ccus.recovery import guide
from ccus.recovery.forms import (
    DoneForm,
    RegistrationAnswerForm,
    StartForm,
)
from ccus.recovery.models import RecoveryCase
from ccus.recovery.paths import email_inquiry_items, format_value, id_inquiry_answers, id_printed_on
from ccus.recovery.selectors import LIVE_ACCOUNT, recovery_cases, recovery_summary
from ccus.recovery.services import (
    recovery_answer,
    recovery_complete,
    recovery_start,
)
from vault.auth.reauth import reauth_redirect, recently_reauthenticated
from vault.crypto.fields import encrypted_fields
from vault.firms.models import Role
from vault.firms.permissions import get_for_role, require_membership

# The secrets each path needs at hand.
PATH_SECRETS = {
    "id_in_vault": ["ccus_id"],
    "id_where_printed": [],
    "inquiry_id": [],
    "inquiry_email": ["ccus_id", "address", "phone", "birth_date", "registered_email"],
    "password_reset": ["ccus_id", "registered_email", "initial_password"],
    "security_code": ["security_code"],
}
SHEET_SECRETS = [
    "ccus_id", "password", "initial_password", "registered_email", "security_code",
    "security_code_hint", "address", "phone", "birth_date",
]  # fmt: skip


def _allowed(request: HttpRequest, account: CcusAccount, fields: list[str]) -> list[str]:
    membership = request._record_membership
    model_fields = {f.name for f in encrypted_fields(type(account))}
    return [f for f in fields if f in model_fields and membership.has_role(reveal_role(f, account))]


def _reveal(request: HttpRequest, account: CcusAccount, fields: list[str], action: str) -> dict:
    """Return the values of the fields the user may see, each reveal written to the audit log."""
    revealed = {}
    for field in _allowed(request, account, fields):
        if getattr(account, field) not in (None, ""):
            revealed[field] = format_value(reveal_value(request, account, field, action))
    return revealed


def recovery_start_view(request: HttpRequest, model: type[CcusAccount], uuid) -> HttpResponse:
    """Ask what is missing and what is at hand, then open the path to follow."""
    account = get_for_role(request, model.objects.all(), Role.STAFF, uuid=uuid)
    form = StartForm(request.POST or None, kind=kind_of(account))
    if request.method == "POST" and form.is_valid():
        case = recovery_start(
            account=account,
            missing=set(form.cleaned_data["missing"]),
            have=set(form.cleaned_data["have"]),
            actor=request.user,
            request=request,
        )
        return redirect("ccus:recovery-case", uuid=case.uuid)
    context = {"form": form, "account": account, "kind": KIND[model]}
    return render(request, "ccus/recovery/start.html", context)


def _typed_items(case: RecoveryCase, data) -> dict[str, str]:
    """Return what the person typed into choice c's items (kept across the reveal)."""
    names = {item.typed for item in guide.EMAIL_INQUIRY_ITEMS[case.kind] if item.typed}
    return {name: data[name][:500] for name in names if name in data}


def _needed(case: RecoveryCase) -> list[str]:
    """Return the secrets the case's path needs, with the initial password when it is lost."""
    needed = list(PATH_SECRETS[case.path])
    if "password" in case.missing and "initial_password" not in needed:
        needed.append("initial_password")
    return needed


def _case_context(
    request: HttpRequest, case: RecoveryCase, revealed: dict, done_form, typed=None
) -> dict:
    account, kind = case.account, case.kind
    have = set(case.have)
    membership = request._record_membership
    contact = {
        "contact_company": membership.organization.name,
        "contact_person": request.user.full_name or request.user.email,
        **(typed or {}),
    }
    stored = {f.name for f in encrypted_fields(type(account))}
    needed = [f for f in _needed(case) if f in stored]
    # The email path shows its secrets inside the item list instead.
    listed = [f for f in needed if case.path != "inquiry_email" or f == "initial_password"]
    answers = id_inquiry_answers(account, have, case.answers) if case.path == "inquiry_id" else []
    return {
        "case": case,
        "account": account,
        "kind": KIND[type(account)],
        "path": guide.PATHS[case.path],
        "printed_on": id_printed_on(kind, have) if case.path == "id_where_printed" else [],
        "answers": answers,
        "answer_form": RegistrationAnswerForm() if any(a is None for *_, a in answers) else None,
        "items": email_inquiry_items(account, revealed=revealed, contact=contact)
        if case.path == "inquiry_email"
        else [],
        "secrets": [
            (account._meta.get_field(f).verbose_name, f, revealed.get(f))
            for f in listed
            if getattr(account, f) not in (None, "")
        ],
        "initial_password_step": "initial_password" in listed
        and getattr(account, "initial_password", None) not in (None, ""),
        "revealable": bool(_allowed(request, account, needed)),
        "revealed": revealed,
        "guide": guide,
        "done_form": done_form,
    }


def _get_case(request: HttpRequest, uuid) -> RecoveryCase:
    cases = RecoveryCase.objects.filter(LIVE_ACCOUNT).select_related(
        "company", "worker", "organization"
    )
    return get_for_role(request, cases, Role.STAFF, uuid=uuid)


def recovery_case_view(request: HttpRequest, uuid) -> HttpResponse:
    """Show the one path to follow, with the vault's data filled in (secrets masked)."""
    case = _get_case(request, uuid)
    context = _case_context(request, case, {}, DoneForm(path=case.path))
    return render(request, "ccus/recovery/case.html", context)


@require_POST
@never_cache
def recovery_reveal_view(request: HttpRequest, uuid) -> HttpResponse:
    """Show the path again with the secrets it needs revealed, each reveal audited."""
    case = _get_case(request, uuid)
    if not recently_reauthenticated(request):
        return reauth_redirect(request, reverse("ccus:recovery-case", args=[case.uuid]))
    revealed = _reveal(request, case.account, _needed(case), "secret.reveal")
    typed = _typed_items(case, request.POST)
    context = _case_context(request, case, revealed, DoneForm(path=case.path), typed)
    response = render(request, "ccus/recovery/case.html", context)
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def recovery_done_view(request: HttpRequest, uuid) -> HttpResponse:
    """Save the new password or registered email, confirm the account and close the case."""
    case = _get_case(request, uuid)
    form = DoneForm(request.POST, path=case.path)
    if form.is_valid():
        try:
            recovery_complete(
                case=case, new_values=form.cleaned_data, actor=request.user, request=request
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Solved. The new values are saved and confirmed."))
            return redirect(f"ccus:{KIND[type(case.account)]}-detail", uuid=case.account.uuid)
    context = _case_context(request, case, {}, form)
    return render(request, "ccus/recovery/case.html", context, status=200)


@require_POST
def recovery_answer_view(request: HttpRequest, uuid) -> HttpResponse:
    """Keep the person's answer to a question of choice d that the vault cannot answer."""
    case = _get_case(request, uuid)
    form = RegistrationAnswerForm(request.POST)
    if form.is_valid():
        recovery_answer(case=case, answers=form.cleaned_data)
    else:
        messages.error(request, _("Choose yes or no."))
    return redirect(f"{reverse('ccus:recovery-case', args=[case.uuid])}#answers")


@never_cache
def recovery_sheet_view(request: HttpRequest, model: type[CcusAccount], uuid) -> HttpResponse:
    """A printable A4 sheet of everything CCUS asks; secrets only when revealed for it."""
    account = get_for_role(request, model.objects.all(), Role.VIEWER, uuid=uuid)
    revealed = {}
    if request.method == "POST":
        if not request._record_membership.has_role(Role.STAFF):
            raise PermissionDenied
        if not recently_reauthenticated(request):
            fallback = reverse(f"ccus:{KIND[model]}-sheet", args=[uuid])
            return reauth_redirect(request, fallback)
        revealed = _reveal(request, account, SHEET_SECRETS, "recovery.sheet")
    fields = [f for f in SHEET_SECRETS if f in {x.name for x in encrypted_fields(model)}]
    context = {
        "account": account,
        "kind": KIND[model],
        "rows": [
            (
                account._meta.get_field(f).verbose_name,
                f,
                revealed.get(f),
                getattr(account, f) not in (None, ""),
            )
            for f in fields
        ],
        "items": email_inquiry_items(account, revealed=revealed, contact={}),
        "with_secrets": bool(revealed),
        "can_reveal": request._record_membership.has_role(Role.STAFF),
        "guide": guide,
        "printed_at": timezone.localtime(),
    }
    response = render(request, "ccus/recovery/sheet.html", context)
    response["Cache-Control"] = "no-store"
    return response


def recovery_log_view(request: HttpRequest) -> HttpResponse:
    """Show how often accounts needed recovery, how each path ended and how long it took."""
    organization = require_membership(request, Role.ADMIN).organization
    context = {
        "cases": recovery_cases(organization, abandoned=False)[:200],
        "abandoned": recovery_cases(organization, abandoned=True)[:200],
        "summary": recovery_summary(organization),
    }
    return render(request, "ccus/recovery/log.html", context)
