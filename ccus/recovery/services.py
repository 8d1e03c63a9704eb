"""Writes of the recovery assistant: open and close a case, record a handover step."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from ccus.accounts.kinds import kind_of
from ccus.accounts.models import CcusAccount, Company, Worker
from ccus.accounts.services import account_update, accounts_confirm
from ccus.recovery.models import HandoverStep, RecoveryCase
from ccus.recovery.paths import choose_path
from vault.audit.services import audit_record

ABANDON_AFTER = datetime.timedelta(days=14)


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
    case.abandoned_at = None  # finished after all
    case.save(update_fields=["completed_at", "completed_by", "abandoned_at"])
    audit_record(
        action="recovery.complete",
        actor=actor,
        organization=case.organization,
        target=account,
        request=request,
        minutes=round((case.completed_at - case.started_at).total_seconds() / 60),
    )
    return case


def recoveries_abandon_stale(*, now: datetime.datetime | None = None) -> int:
    """Close as abandoned the cases nobody finished within 14 days; return how many (safe twice)."""
    now = now or timezone.now()
    return RecoveryCase.objects.filter(
        completed_at__isnull=True, abandoned_at__isnull=True, started_at__lt=now - ABANDON_AFTER
    ).update(abandoned_at=now)


@transaction.atomic
def recovery_answer(*, case: RecoveryCase, answers: dict[str, str]) -> RecoveryCase:
    """Keep what the person answered where the vault could not (no secret is ever kept here)."""
    case.answers = {**case.answers, **answers}
    case.save(update_fields=["answers"])
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
