"""The recovery assistant: choose the one right path, fill CCUS's items, record the case."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from ccus import recovery_guide as guide
from ccus.accounts.kinds import kind_of
from ccus.accounts.models import CcusAccount, Company, Worker
from ccus.accounts.services import account_update, accounts_confirm
from ccus.models import HandoverStep, RecoveryCase
from vault.audit.services import audit_record


def choose_path(kind: str, missing: set[str], have: set[str], *, id_on_record: bool) -> str:
    """Return the one path to follow first for what is missing and what is at hand."""
    if "id" in missing:
        if id_on_record:
            return "id_in_vault"
        if have & set(guide.ID_PRINTED_ON[kind]):
            return "id_where_printed"
        return "inquiry_id"
    if "email" in missing:
        return "inquiry_email"
    if "password" in missing:
        return "password_reset" if "inbox" in have else "inquiry_email"
    return "security_code"


def id_printed_on(kind: str, have: set[str]) -> list:
    """Return where the ID is printed, for the things the person has at hand."""
    return [text for thing, text in guide.ID_PRINTED_ON[kind].items() if thing in have]


def id_inquiry_answers(account: CcusAccount, have: set[str]) -> list[tuple[str, str]]:
    """Answer the five questions of inquiry choice d from the vault, where it can."""
    answers = guide.ANSWERS
    kind = kind_of(account)
    by_key = {
        "registration_complete": answers["yes_id_on_record"]
        if account.ccus_id_index
        else answers["unknown"],
        "id_kind": answers[f"{kind}_id"],
        "notice_email": answers["yes"] if "completion_email" in have else answers["no"],
        "email_changed": answers["email_on_record"] if account.email_index else answers["unknown"],
        "security_code": answers["security_code_on_record"]
        if account.security_code
        else answers["no"],
    }
    return [(question, str(by_key[key])) for key, question in guide.ID_INQUIRY_QUESTIONS]


@dataclass
class FilledItem:
    """One inquiry item with the value the vault has for it, or the input the user fills."""

    label: str
    field: str
    typed: str
    value: str
    secret: bool
    contact: bool


def email_inquiry_items(
    account: CcusAccount, *, revealed: dict[str, str], contact: dict[str, str]
) -> list[FilledItem]:
    """Return inquiry choice c's items in CCUS's order; secrets only where revealed."""
    items = []
    for item in guide.EMAIL_INQUIRY_ITEMS[kind_of(account)]:
        secret = item.field not in ("", "name")
        if item.field == "name":
            value = account.name
        elif secret:
            value = revealed.get(item.field, "")
        else:
            value = contact.get(item.typed, "")
        items.append(
            FilledItem(item.ccus_label, item.field, item.typed, value, secret, item.contact)
        )
    return items


def format_value(value) -> str:
    """Return a stored value as CCUS expects it typed (dates in 西暦, YYYY-MM-DD)."""
    if isinstance(value, datetime.date):
        return value.strftime("%Y-%m-%d")
    return "" if value is None else str(value)


@transaction.atomic
def recovery_start(
    *, account: CcusAccount, missing: set[str], have: set[str], actor, request: HttpRequest
) -> RecoveryCase:
    """Open a recovery case for an account and choose its path."""
    if not missing:
        raise ValidationError({"missing": ValidationError("", code="required")})
    path = choose_path(kind_of(account), missing, have, id_on_record=bool(account.ccus_id_index))
    case = RecoveryCase.objects.create(
        organization=account.organization,
        company=account if isinstance(account, Company) else None,
        worker=account if isinstance(account, Worker) else None,
        missing=sorted(missing),
        have=sorted(have),
        path=path,
        started_by=actor,
    )
    audit_record(
        action="recovery.start",
        actor=actor,
        organization=account.organization,
        target=account,
        request=request,
    )
    return case


@transaction.atomic
def recovery_complete(
    *, case: RecoveryCase, new_values: dict, actor, request: HttpRequest
) -> RecoveryCase:
    """Save the new login values, mark the account confirmed and close the case."""
    account = type(case.account).objects.get(pk=case.account.pk)
    values = {name: value for name, value in new_values.items() if value not in ("", None)}
    account_update(account=account, actor=actor, request=request, **values)
    accounts_confirm(
        accounts=type(account).objects.filter(pk=account.pk), actor=actor, request=request
    )
    case.completed_at = timezone.now()
    case.completed_by = actor
    case.save(update_fields=["completed_at", "completed_by"])
    audit_record(
        action="recovery.complete",
        actor=actor,
        organization=case.organization,
        target=account,
        request=request,
        minutes=round((case.completed_at - case.started_at).total_seconds() / 60),
    )
    return case


@transaction.atomic
def handover_record(
    *, worker: Worker, step: str, done_on: datetime.date, note: str, actor, request: HttpRequest
) -> HandoverStep:
    """Record (or re-date) one handover step of a leaving worker."""
    record, _ = HandoverStep.objects.update_or_create(
        worker=worker,
        step=step,
        defaults={"done_on": done_on, "note": note or None, "recorded_by": actor},
    )
    if step == HandoverStep.Step.CONSENT_WITHDRAWN:
        Worker.objects.filter(pk=worker.pk).update(consent_withdrawn_on=done_on)
    audit_record(
        action=f"handover.{step}",
        actor=actor,
        organization=worker.organization,
        target=worker,
        request=request,
    )
    return record
