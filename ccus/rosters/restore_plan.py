"""Compare a backup with the vault, record by record: new, changed (which fields) or the same."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ccus.accounts.addresses import validate_registered_email
from ccus.accounts.lookup import accounts_by_id
from ccus.accounts.models import CcusAccount, Company, ManagerIdFee, Worker
from ccus.accounts.validators import validate_ccus_id
from ccus.rosters.backup import Backup, backup_fields
from vault.auth.models import User
from vault.crypto.fields import read_value
from vault.firms.models import Organization

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
            except ValidationError:
                errors.append(_not_valid(model_field))
    return values


def _not_valid(model_field) -> str:
    # Never the value itself (Django's own messages quote it): it may be a secret.
    return _("The backup's “%(label)s” is not a valid value for this item.") % {
        "label": model_field.verbose_name
    }


def _check(plan: RecordPlan) -> None:
    """Add the reasons the record cannot be restored: no name, a malformed ID or email."""
    values = plan.values
    if not values.get("name"):
        plan.errors.append(_("The name is empty."))
    for name, validate in (("ccus_id", lambda v: validate_ccus_id(v, kind=plan.kind)),
                           ("registered_email", validate_registered_email)):  # fmt: skip
        try:
            if values.get(name):
                validate(values[name])
        except ValidationError:
            plan.errors.append(_not_valid(plan.model._meta.get_field(name)))


def _current(account: CcusAccount, model_field, related: dict) -> object:
    # A value that no longer opens (UNREADABLE) differs from the backup's: restoring repairs it.
    value = read_value(account, model_field.attname)
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
        mine = model.objects.filter(organization=organization).select_related("organization")
        accounts = {str(a.uuid): a for a in mine}
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
    taken = model.with_trash.exclude(organization=organization).filter(uuid__in=in_backup)
    foreign = {str(u) for u in taken.values_list("uuid", flat=True)}
    # A backup does not carry the trash, but an older one may hold what was moved there since.
    trashed = model.with_trash.filter(
        organization=organization, deleted_at__isnull=False, uuid__in=in_backup
    )
    in_trash = {str(u) for u in trashed.values_list("uuid", flat=True)}
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
        if key in in_trash:
            plan.errors.append(
                _("This account is in the trash. If it should come back, an owner restores it "
                  "from the trash first.")
            )  # fmt: skip
        if plan.errors:
            plan.action = "error"
        elif account is not None:
            _compare(plan, account, related, fees)
