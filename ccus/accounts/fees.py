"""Writes of the 管理者ID利用料 due dates of a business account, each audited."""

import datetime

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.http import HttpRequest

from ccus.accounts.models import Company, ManagerIdFee
from vault.audit.services import audit_record


def _audit(action: str, fee: ManagerIdFee, actor, request: HttpRequest | None) -> None:
    audit_record(action=action, actor=actor, organization=fee.company.organization,
                 target=fee.company, field="manager_id_fee", request=request)  # fmt: skip


@transaction.atomic
def fee_save(
    *, company: Company, label: str, due_on: datetime.date, fee: ManagerIdFee | None = None,
    actor, request: HttpRequest | None = None,
) -> ManagerIdFee:  # fmt: skip
    """Add a 管理者ID利用料 due date to a business account, or change one."""
    fee = fee or ManagerIdFee(company=company)
    fee.label, fee.due_on = label, due_on
    fee.full_clean()
    fee.save()
    _audit("company.fee_save", fee, actor, request)
    return fee


@transaction.atomic
def fee_paid(*, fee: ManagerIdFee, actor, request: HttpRequest | None = None) -> ManagerIdFee:
    """Record a fee as paid: its next due date is one year later."""
    fee.due_on = fee.due_on + relativedelta(years=1)
    fee.save(update_fields=["due_on"])
    _audit("company.fee_paid", fee, actor, request)
    return fee


@transaction.atomic
def fee_delete(*, fee: ManagerIdFee, actor, request: HttpRequest | None = None) -> None:
    """Remove a 管理者ID利用料 due date (the manager ID no longer exists)."""
    _audit("company.fee_delete", fee, actor, request)
    fee.delete()
