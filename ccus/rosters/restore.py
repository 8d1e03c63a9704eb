"""Restore a firm's accounts from a backup: every new and changed record, or nothing."""

import logging
from collections import Counter
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from ccus.accounts.models import CcusAccount, Company, ManagerIdFee, Worker
from ccus.accounts.services import refresh_derived
from ccus.accounts.versions import accounts_changed
from ccus.rosters.backup import Backup, backup_fields
from ccus.rosters.restore_plan import RecordPlan, restore_plan
from vault.audit.services import audit_record
from vault.auth.models import User
from vault.firms.models import Organization

log = logging.getLogger(__name__)
BATCH = 500


def _set_values(account: CcusAccount, values: dict, companies: dict, users: dict) -> None:
    for model_field in backup_fields(type(account)):
        value = values[model_field.name]
        if model_field.name == "uuid" and account.pk:
            continue  # an account matched by its ID keeps its own UUID (and its links)
        if model_field.is_relation:
            lookup = companies if model_field.related_model is Company else users
            setattr(account, model_field.attname, lookup.get(value) if value else None)
        else:
            setattr(account, model_field.name, value)
    refresh_derived(account)


def _stamp(model, rows: list[tuple]) -> None:
    """Put back the times the backup recorded (saving stamps "now"), in one batch."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {quote(model._meta.db_table)} SET {quote('created_at')} = %s, "  # noqa: S608
            f"{quote('updated_at')} = %s WHERE {quote('id')} = %s",
            rows,
        )


def _write(organization, model, plans, companies, users, step) -> Counter:
    """Write one table's records: new ones in batches, changed ones one by one."""
    counts: Counter = Counter()
    new = [p for p in plans if p.action == "new"]
    for start in range(0, len(new), BATCH):
        batch = new[start : start + BATCH]
        accounts = []
        for plan in batch:
            account = model(organization=organization)
            _set_values(account, plan.values, companies, users)
            accounts.append(account)
        model.objects.bulk_create(accounts)
        for account, plan in zip(accounts, batch, strict=True):
            plan.existing = account
        _stamp(model, [(p.values["created_at"], p.values["updated_at"], p.existing.pk)
                       for p in batch])  # fmt: skip
        step(len(batch))
    for plan in plans:
        counts[plan.action] += 1
        if plan.action == "changed":
            _set_values(plan.existing, plan.values, companies, users)
            plan.existing.save()
            step(1)
    return counts


def _write_fees(plans: list[RecordPlan]) -> None:
    existing = {
        str(fee.uuid): fee
        for fee in ManagerIdFee.objects.filter(company__in=[p.existing for p in plans])
    }
    created = []
    for plan in plans:
        for values in plan.fees:
            fee = existing.get(str(values["uuid"])) or ManagerIdFee(uuid=values["uuid"])
            fee.company, fee.label, fee.due_on = plan.existing, values["label"], values["due_on"]
            if fee.pk:
                fee.save()
            else:
                created.append(fee)
    ManagerIdFee.objects.bulk_create(created, batch_size=BATCH)


@transaction.atomic
def backup_restore(
    *, organization: Organization, backup: Backup, actor=None, request: HttpRequest | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Counter:  # fmt: skip
    """Restore every new and changed account of the backup, or nothing if one cannot be."""
    plans = restore_plan(organization, backup)
    if any(plan.action == "error" for plan in plans):
        raise ValidationError(
            _("Some records of the backup cannot be restored, so nothing was changed. "
              "The preview lists them."),
            code="errors",
        )  # fmt: skip
    total = sum(1 for plan in plans if plan.action in ("new", "changed"))
    done = 0

    def step(count: int) -> None:
        nonlocal done
        done += count
        if progress:
            progress(done, total)

    emails = {p.values.get("last_confirmed_by") for p in plans} - {None}
    users = dict(User.objects.filter(email__in=emails).values_list("email", "id"))
    counts: Counter = Counter()
    businesses = [plan for plan in plans if plan.model is Company]
    counts.update(_write(organization, Company, businesses, {}, users, step))
    _write_fees([plan for plan in businesses if plan.action != "same"])
    # Workers point at their business by its UUID in the backup; one matched by its ID keeps
    # a UUID of its own in the vault.
    companies = {
        str(u): i
        for i, u in Company.objects.filter(organization=organization).values_list("id", "uuid")
    }
    companies |= {str(plan.values["uuid"]): plan.existing.id for plan in businesses}
    workers = [plan for plan in plans if plan.model is Worker]
    counts.update(_write(organization, Worker, workers, companies, users, step))
    created, updated, unchanged = counts["new"], counts["changed"], counts["same"]
    accounts_changed(organization.id)  # the firm's cached figures and list rows are stale now
    audit_record(action="backup.restore", actor=actor, organization=organization, request=request,
                 created=created, updated=updated, unchanged=unchanged)  # fmt: skip
    log.info("backup_restore organization=%s created=%s updated=%s unchanged=%s",
             organization.uuid, created, updated, unchanged)  # fmt: skip
    return Counter(created=created, updated=updated, unchanged=unchanged)
