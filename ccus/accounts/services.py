"""Writes to CCUS accounts: normalise, index, keep IDs unique per firm, and audit."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ccus.accounts.addresses import validate_registered_email
from ccus.accounts.kinds import ID_KIND
from ccus.accounts.lookup import ccus_id_indexes, email_indexes, index_in
from ccus.accounts.models import CcusAccount, Company, Worker, WorkerStatus
from ccus.accounts.text import normalize_kana, normalize_phone, search_key
from ccus.accounts.validators import (
    hint_looks_like_code,
    normalize_ccus_id,
    normalize_security_code,
    validate_ccus_id,
)
from ccus.accounts.versions import accounts_changed
from vault.audit.services import audit_record
from vault.crypto.fields import UNREADABLE, EncryptedMixin, read_value, unreadable_fields
from vault.firms.models import Organization

# Fields stored in one canonical form whatever was typed; names keep what was typed (㈱ stays).
NORMALISERS = {
    "name_kana": normalize_kana,
    "phone": normalize_phone,
    "security_code": normalize_security_code,
}


def _normalised(account: CcusAccount, name: str, value):
    """Return the value to store for one field; raise ValidationError if it is not acceptable."""
    field = account._meta.get_field(name)
    if isinstance(value, str) and name in NORMALISERS:
        value = NORMALISERS[name](value)
    if isinstance(field, EncryptedMixin) and value == "":
        return None
    if name == "ccus_id" and value is not None:
        if not normalize_ccus_id(value):
            return None
        return validate_ccus_id(value, kind=ID_KIND[type(account)])
    if name == "registered_email" and value is not None:
        return validate_registered_email(value)
    return value


def _apply(account: CcusAccount, fields: dict) -> list[str]:
    """Set fields on account and refresh what derives from them; return the changed names."""
    errors: dict[str, list] = {}
    changed = []
    for name, value in fields.items():
        try:
            value = _normalised(account, name, value)
        except ValidationError as error:
            errors[name] = error.error_list
            continue
        if read_value(account, name) != value:
            changed.append(name)
        setattr(account, name, value)
    company = getattr(account, "company", None)
    if company is not None and company.organization_id != account.organization_id:
        errors["company"] = [
            ValidationError(_("Choose a business account of this firm."), code="other_firm")
        ]
    if errors:
        raise ValidationError(errors)
    refresh_derived(account)
    return changed


def refresh_derived(account: CcusAccount) -> None:
    """Recompute the plain columns kept in step with the values: indexes, last 4, search, flag.

    A value that does not open for its record keeps what was derived from it before.
    """
    organization = account.organization
    ccus_id = read_value(account, "ccus_id")
    email = read_value(account, "registered_email")
    hint = read_value(account, "security_code_hint")
    code = read_value(account, "security_code", default=None)
    if ccus_id is not UNREADABLE:
        indexes = ccus_id_indexes(organization, ccus_id) if ccus_id else (None, None)
        account.ccus_id_index, account.ccus_id_index_new = indexes
        account.ccus_id_last4 = ccus_id[-4:] if ccus_id else ""
    if email is not UNREADABLE:
        indexes = email_indexes(organization, email) if email else (None, None)
        account.email_index, account.email_index_new = indexes
    if hint is not UNREADABLE:
        account.hint_is_code = bool(hint) and hint_looks_like_code(hint, code)
    account.search_text = f"{search_key(account.name)}|{search_key(account.name_kana)}"


def id_holder(account: CcusAccount) -> CcusAccount | None:
    """Return the other account in use in the firm that holds this account's ID, if any."""
    if not account.ccus_id_index:
        return None
    holders = type(account).objects.filter(
        index_in("ccus_id_index", [account.ccus_id_index, account.ccus_id_index_new]),
        organization_id=account.organization_id,
    )
    return holders.exclude(pk=account.pk).first() if account.pk else holders.first()


def _duplicate_id_error(holder: CcusAccount) -> ValidationError:
    message = _(
        "This ID is already saved for “%(name)s”. An ID can be saved only once in a firm: "
        "open that account instead."
    )
    return ValidationError(
        {"ccus_id": ValidationError(message, code="duplicate", params={"name": holder.name})}
    )


def _save(account: CcusAccount, *, action: str, changed: list[str], actor, request) -> None:
    holder = id_holder(account)
    if holder is not None:
        raise _duplicate_id_error(holder)
    # The registered email was checked by validate_registered_email, which also accepts the
    # older carrier addresses (taro.@docomo.ne.jp) that the model's EmailField would refuse.
    unreadable = unreadable_fields(account)
    account.full_clean(exclude=["registered_email", *unreadable], validate_constraints=False)
    try:
        with transaction.atomic():
            account.save()
    except IntegrityError as error:
        # Another request saved the same ID between our check and our insert.
        holder = id_holder(account)
        if holder is None:
            raise
        raise _duplicate_id_error(holder) from error
    accounts_changed(account.organization_id)
    audit_record(
        action=action,
        actor=actor,
        organization=account.organization,
        target=account,
        request=request,
        fields=sorted(changed),
    )


@transaction.atomic
def account_create(
    *,
    model: type[CcusAccount],
    organization: Organization,
    actor=None,
    request: HttpRequest | None = None,
    **fields,
) -> CcusAccount:
    """Create a business or worker account; what a person just typed counts as confirmed."""
    account = model(organization=organization)
    changed = _apply(account, fields)
    account.last_confirmed_at = timezone.now()
    account.last_confirmed_by = actor
    action = f"{model._meta.model_name}.create"
    _save(account, action=action, changed=changed, actor=actor, request=request)
    return account


@transaction.atomic
def account_update(
    *, account: CcusAccount, actor=None, request: HttpRequest | None = None, **fields
) -> CcusAccount:
    """Change fields of an account; nothing is written if a value is rejected."""
    changed = _apply(account, fields)
    if changed:
        action = f"{account._meta.model_name}.update"
        _save(account, action=action, changed=changed, actor=actor, request=request)
    return account


def account_draft(*, account: CcusAccount, **fields) -> CcusAccount:
    """Return an unsaved copy of the account with these fields applied; write nothing.

    Raise ValidationError if a value would be refused.
    """
    if account.pk:
        draft = type(account).objects.get(pk=account.pk)
    else:
        draft = type(account)(organization=account.organization)
    _apply(draft, fields)
    return draft


def account_validate(*, account: CcusAccount, **fields) -> None:
    """Raise the ValidationError that saving these fields would raise; write nothing."""
    account = account_draft(account=account, **fields)
    holder = id_holder(account)
    if holder is not None:
        raise _duplicate_id_error(holder)


def company_create(*, organization: Organization, **kwargs) -> Company:
    """Create a 事業者 account."""
    return account_create(model=Company, organization=organization, **kwargs)


def worker_create(*, organization: Organization, **kwargs) -> Worker:
    """Create a 技能者 account."""
    return account_create(model=Worker, organization=organization, **kwargs)


@transaction.atomic
def accounts_confirm(*, accounts: QuerySet, actor, request: HttpRequest | None = None) -> int:
    """Mark accounts as checked and still correct now, by actor; return how many."""
    confirmed = list(accounts.only("id", "uuid", "name", "organization_id"))
    model = accounts.model
    model.objects.filter(id__in=[a.id for a in confirmed]).update(
        last_confirmed_at=timezone.now(), last_confirmed_by=actor
    )
    for organization_id in {account.organization_id for account in confirmed}:
        accounts_changed(organization_id)
    for account in confirmed:
        audit_record(
            action=f"{model._meta.model_name}.confirm",
            actor=actor,
            organization_id=account.organization_id,
            target=account,
            request=request,
        )
    return len(confirmed)


@transaction.atomic
def worker_mark_left(
    *, worker: Worker, left_on: datetime.date, actor, request: HttpRequest | None = None
) -> Worker:
    """Record that a worker left the firm; the account is kept, marked as left."""
    worker.status = WorkerStatus.LEFT
    worker.left_on = left_on
    worker.save(update_fields=["status", "left_on", "updated_at"])
    accounts_changed(worker.organization_id)
    audit_record(
        action="worker.left",
        actor=actor,
        organization=worker.organization,
        target=worker,
        request=request,
    )
    return worker
