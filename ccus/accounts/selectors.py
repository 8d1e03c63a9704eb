"""Reads about CCUS accounts: soft warnings that need the firm's other records."""

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ccus.accounts.addresses import email_warnings
from ccus.accounts.dates import age_warnings
from ccus.accounts.filters import FILTER_LABELS, filter_q, in_scope
from ccus.accounts.lookup import filter_by_ccus_id, grouping_column, index_in
from ccus.accounts.models import CcusAccount, Company, Worker, WorkerStatus
from ccus.accounts.text import search_key
from ccus.accounts.validators import (
    CCUS_ID_LENGTH,
    SoftWarning,
    hint_warnings,
    normalize_ccus_id,
    security_code_warnings,
)
from vault.crypto.fields import encrypted_fields, read_value

LAST_DIGITS = 4


def _other_kind_warnings(account: CcusAccount) -> list[SoftWarning]:
    if not account.ccus_id_index:
        return []
    other_model = Worker if isinstance(account, Company) else Company
    other = other_model.objects.filter(
        index_in("ccus_id_index", [account.ccus_id_index, account.ccus_id_index_new]),
        organization_id=account.organization_id,
    ).first()
    if other is None:
        return []
    message = _(
        "The same digits are also saved as the %(kind)s of “%(name)s”. "
        "A business ID and a worker ID are different numbers: check which one this is."
    ) % {"kind": other._meta.get_field("ccus_id").verbose_name, "name": other.name}
    return [SoftWarning("id_used_by_other_kind", message)]


def _shared_email_warnings(worker: Worker) -> list[SoftWarning]:
    column = grouping_column("email_index")
    if not getattr(worker, column):
        return []
    warnings = []
    same = {"organization_id": worker.organization_id, column: getattr(worker, column)}
    others = Worker.objects.filter(**same).exclude(pk=worker.pk).count()
    if others:
        message = ngettext(
            "%(count)d other worker has the same registered email. CCUS sends password "
            "resets there, so a worker who leaves could not receive them.",
            "%(count)d other workers have the same registered email. CCUS sends password "
            "resets there, so a worker who leaves could not receive them.",
            others,
        ) % {"count": others}
        warnings.append(SoftWarning("email_shared", message))
    if Company.objects.filter(**same).exists():
        message = _(
            "This is the business account's registered email. Register the worker's own "
            "address in CCUS so the worker can reset the password after leaving."
        )
        warnings.append(SoftWarning("company_inbox_on_worker", message))
    return warnings


def account_warnings(account: CcusAccount) -> list[SoftWarning]:
    """Return the soft warnings for an account's current values (saved or not)."""
    warnings = []
    code, hint, email = (
        read_value(account, name, default=None)
        for name in ("security_code", "security_code_hint", "registered_email")
    )
    if code:
        warnings += security_code_warnings(code)
    if hint:
        warnings += hint_warnings(hint, code)
    if email:
        warnings += email_warnings(email)
    warnings += _other_kind_warnings(account)
    if isinstance(account, Worker):
        warnings += _shared_email_warnings(account)
        warnings += age_warnings(account.birth_date, timezone.localdate())
    return warnings


# The field each soft warning is about, so a form can show it beside that field.
WARNING_FIELDS = {
    "security_code_format": "security_code",
    "hint_is_code": "security_code_hint",
    "mobile_carrier": "registered_email",
    "older_carrier_address": "registered_email",
    "email_shared": "registered_email",
    "company_inbox_on_worker": "registered_email",
    "id_used_by_other_kind": "ccus_id",
    "birth_date_age": "birth_date",
}
WARNED_FIELDS = frozenset(WARNING_FIELDS.values())
# Whether a hint gives the code away depends on the code typed beside it.
WARNING_INPUTS = {"security_code_hint": ["security_code_hint", "security_code"]}


def field_warnings(account: CcusAccount, field: str) -> list[SoftWarning]:
    """Return the soft warnings about one field of an account (saved or not)."""
    return [w for w in account_warnings(account) if WARNING_FIELDS.get(w.code) == field]


def _search(accounts: QuerySet, organization, query: str) -> QuerySet:
    """Narrow to a full ID (blind index), the last 4 digits of an ID, or a name or reading."""
    digits = normalize_ccus_id(query)
    all_digits = digits.isascii() and digits.isdigit()
    if all_digits and len(digits) == CCUS_ID_LENGTH:
        return filter_by_ccus_id(accounts, organization, digits)
    matches = Q(search_text__contains=search_key(query)) | Q(name__icontains=query)
    if all_digits and len(digits) == LAST_DIGITS:
        matches |= Q(ccus_id_last4=digits)
    return accounts.filter(matches)


def account_list(
    model: type[CcusAccount],
    organization,
    *,
    filter_name: str = "",
    status: str = "",
    query: str = "",
) -> QuerySet:
    """Return the firm's accounts for a list page, without loading any encrypted column."""
    accounts = model.objects.filter(organization=organization)
    if filter_name in FILTER_LABELS:
        accounts = in_scope(model, organization).filter(
            filter_q(filter_name, model, organization, timezone.localdate())
        )
    if model is Worker and status in WorkerStatus.values:
        accounts = accounts.filter(status=status)
    query = query.strip()
    if query:
        accounts = _search(accounts, organization, query)
    deferred = [field.name for field in encrypted_fields(model)]
    if model is Worker:
        accounts = accounts.select_related("company")
        deferred += [f"company__{field.name}" for field in encrypted_fields(Company)]
    # Whether a password is stored, for the list's copy button, without decrypting it.
    has_password = ExpressionWrapper(Q(password__isnull=False), output_field=BooleanField())
    accounts = accounts.annotate(has_password=has_password)
    return accounts.defer(*deferred).order_by("name_kana", "name", "id")


def quick_search(organization, query: str, limit: int) -> list[tuple[type[CcusAccount], list]]:
    """Return, per kind, up to limit + 1 of the firm's accounts matching query (the extra: more)."""
    query = query.strip()
    if not query:
        return [(Worker, []), (Company, [])]
    return [
        (model, list(account_list(model, organization, query=query)[: limit + 1]))
        for model in (Worker, Company)
    ]
