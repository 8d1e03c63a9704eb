"""Restore a firm's accounts from a backup: compare record by record, then write all or nothing."""

import logging
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from ccus.accounts.lookup import accounts_by_id
from ccus.accounts.models import CcusAccount, Company, ManagerIdFee, Worker
from ccus.accounts.services import refresh_derived
from ccus.accounts.validators import validate_ccus_id, validate_registered_email
from ccus.rosters.backup import Backup, backup_fields
from vault.audit.services import audit_record
from vault.auth.models import User
from vault.firms.models import Organization

log = logging.getLogger(__name__)
BATCH = 500
ACCOUNTS = {"companies.csv": Company, "workers.csv": Worker}
# Written as the backup recorded them for a new record; not counted as a change of a record.
TIMESTAMPS = ("created_at", "updated_at")
FEES = "manager_id_fees"


@dataclass
class RecordPlan:
    """One account of the backup and what restoring it would do (values are never shown)."""

    model: type[CcusAccount]
    values: dict
    fees: list[dict] = field(default_factory=list)
    action: str = "new"  # new | changed | same | error
    changed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    existing: CcusAccount | None = None

    @property
    def name(self) -> str:
        return self.values.get("name") or ""

    @property
    def kind(self) -> str:
        return self.model._meta.model_name


def check_backup_firm(organization: Organization, backup: Backup) -> None:
    """Refuse a backup of another firm, saying whose it is."""
    if backup.organization.get("uuid") != str(organization.uuid):
        raise ValidationError(
            _("This backup belongs to “%(backup)s”, not to “%(firm)s”. Switch to that firm "
              "first, or choose a backup of “%(firm)s”."),
            code="other_firm",
            params={"backup": backup.organization.get("name", ""), "firm": organization.name},
        )  # fmt: skip


def _typed(model, row: dict[str, str], errors: list[str]) -> dict:
    """Return the row's values as the model holds them; relations stay as UUID or email text."""
    values = {}
    for model_field in backup_fields(model):
        text = row.get(model_field.name)
        if text is None:
            errors.append(_("The backup lacks the column “%(name)s”.") % {"name": model_field.name})
        elif text == "":
            values[model_field.name] = None if model_field.null else ""
        elif model_field.is_relation:
            values[model_field.name] = text
        else:
            try:
                values[model_field.name] = model_field.clean(text, None)
            except ValidationError as error:
                label = model_field.verbose_name
                errors += [f"{label}: {message}" for message in error.messages]
    return values


def _check(plan: RecordPlan) -> None:
    """Add the reasons the record cannot be restored: no name, a malformed ID or email."""
    values = plan.values
    if not values.get("name"):
        plan.errors.append(_("The name is empty."))
    try:
        if values.get("ccus_id"):
            validate_ccus_id(values["ccus_id"], kind=plan.kind)
        if values.get("registered_email"):
            validate_registered_email(values["registered_email"])
    except ValidationError as error:
        plan.errors += error.messages


def _current(account: CcusAccount, model_field, related: dict) -> object:
    value = getattr(account, model_field.attname)
    return related[model_field.related_model].get(value) if model_field.is_relation else value


def _compare(plan: RecordPlan, account: CcusAccount, related: dict, fees: dict) -> None:
    plan.existing = account
    plan.changed = [
        f.name
        for f in backup_fields(plan.model)
        if f.name not in (*TIMESTAMPS, "uuid")
        and _current(account, f, related) != plan.values.get(f.name)
    ]
    if plan.model is Company:
        mine = {(str(f["uuid"]), f["label"], f["due_on"]) for f in plan.fees}
        if not mine <= fees.get(account.id, set()):
            plan.changed.append(FEES)
    plan.action = "changed" if plan.changed else "same"


def _fee_rows(backup: Backup) -> dict[str, list[tuple[dict, list[str]]]]:
    """Return the manager ID fees of the backup by the UUID of their business account."""
    by_company = defaultdict(list)
    for row in backup.tables["manager_id_fees.csv"]:
        errors: list[str] = []
        values = _typed(ManagerIdFee, row, errors)
        by_company[values.get("company")].append((values, errors))
    return by_company


def restore_plan(organization: Organization, backup: Backup) -> list[RecordPlan]:
    """Compare each account of the backup with the vault: new, changed (which fields), same."""
    check_backup_firm(organization, backup)
    fees_by_company = _fee_rows(backup)
    companies = dict(Company.objects.filter(organization=organization).values_list("id", "uuid"))
    company_uuids = {str(u) for u in companies.values()}
    fees = defaultdict(set)
    for fee in ManagerIdFee.objects.filter(company__organization=organization):
        fees[fee.company_id].add((str(fee.uuid), fee.label, fee.due_on))
    plans: list[RecordPlan] = []
    for name, model in ACCOUNTS.items():
        accounts = {str(a.uuid): a for a in model.objects.filter(organization=organization)}
        confirmers = {a.last_confirmed_by_id for a in accounts.values()} - {None}
        users = dict(User.objects.filter(id__in=confirmers).values_list("id", "email"))
        related = {Company: {k: str(v) for k, v in companies.items()}, User: users}
        seen_ids: dict[str, str] = {}
        table_plans = []
        for row in backup.tables[name]:
            errors: list[str] = []
            plan = RecordPlan(model, _typed(model, row, errors), errors=errors)
            if model is Company:
                for values, fee_errors in fees_by_company.get(str(plan.values.get("uuid")), []):
                    plan.fees.append(values)
                    plan.errors += fee_errors
            _check(plan)
            table_plans.append(plan)
            if model is Company:
                company_uuids.add(str(plan.values.get("uuid")))
            elif plan.values.get("company") and plan.values["company"] not in company_uuids:
                plan.errors.append(_("The business account of this worker is not in the backup."))
            ccus_id = plan.values.get("ccus_id")
            if ccus_id and not plan.errors:
                if ccus_id in seen_ids:
                    plan.errors.append(_("The same ID is also on “%(name)s” in the backup.")
                                       % {"name": seen_ids[ccus_id]})  # fmt: skip
                seen_ids.setdefault(ccus_id, plan.name)
        _match(organization, model, table_plans, accounts, related, fees)
        plans += table_plans
    return plans


def _match(organization, model, plans, accounts, related, fees) -> None:
    """Find each record's account: by UUID, else by ID (an account added again by hand)."""
    in_backup = {str(p.values.get("uuid")) for p in plans}
    taken = model.objects.exclude(organization=organization).filter(uuid__in=in_backup)
    foreign = {str(u) for u in taken.values_list("uuid", flat=True)}
    ids = [p.values["ccus_id"] for p in plans if p.values.get("ccus_id") and not p.errors]
    by_pk = {account.pk: account for account in accounts.values()}
    by_id = {i: by_pk[pk] for i, pk in accounts_by_id(model.objects, organization, ids).items()}
    for plan in plans:
        key = str(plan.values.get("uuid"))
        account = accounts.get(key)
        if account is None and plan.values.get("ccus_id") and not plan.errors:
            account = by_id.get(plan.values["ccus_id"])
            if account is not None and str(account.uuid) in in_backup:
                plan.errors.append(
                    _("This ID is saved in the vault on “%(name)s”, another account of the "
                      "backup. Correct one of the two in the vault first.") % {"name": account.name}
                )  # fmt: skip
                account = None
        if key in foreign:
            plan.errors.append(_("This record belongs to another firm."))
        if plan.errors:
            plan.action = "error"
        elif account is not None:
            _compare(plan, account, related, fees)


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
    for model in (Company, Worker):
        mine = [plan for plan in plans if plan.model is model]
        companies = {
            str(u): i
            for i, u in Company.objects.filter(organization=organization).values_list("id", "uuid")
        }
        counts.update(_write(organization, model, mine, companies, users, step))
        if model is Company:
            _write_fees([p for p in mine if p.action != "same"])
    created, updated, unchanged = counts["new"], counts["changed"], counts["same"]
    audit_record(action="backup.restore", actor=actor, organization=organization, request=request,
                 created=created, updated=updated, unchanged=unchanged)  # fmt: skip
    log.info("backup_restore organization=%s created=%s updated=%s unchanged=%s",
             organization.uuid, created, updated, unchanged)  # fmt: skip
    return Counter(created=created, updated=updated, unchanged=unchanged)
