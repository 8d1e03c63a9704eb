"""Choose the one right path for what is missing and at hand, and fill CCUS's items."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from ccus.accounts.kinds import kind_of
from ccus.accounts.models import CcusAccount, Company
from ccus.recovery import guide
from vault.crypto.masking import mask_email


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


def _registration_evidence(account: CcusAccount, have: set[str]) -> str | None:
    """Return the key of what shows that the CCUS registration was completed, if anything."""
    expiry = getattr(account, "registration_expires_on", None) or getattr(
        account, "card_expires_on", None
    )
    if account.ccus_id_index:
        return "yes_id_on_record"
    if expiry:
        return "yes_expiry_on_record"
    if "card" in have:
        return "yes_card"
    if have & {"postcard", "completion_email"}:
        return "yes_notice"
    return None


def registration_answer(account: CcusAccount, have: set[str], answered: dict) -> str | None:
    """Answer 「新規登録は完了していますか」 from the vault, else from the person; None: ask."""
    evidence = _registration_evidence(account, have)
    if evidence:
        return str(guide.ANSWERS[evidence])
    given = answered.get("registration_complete")
    return str(guide.ANSWERS[f"registration_{given}"]) if given in ("yes", "no") else None


def responsible_email_answer(account: CcusAccount) -> str:
    """Answer the question on the 登録責任者's email (where CCUS re-sends the notice)."""
    company = account if isinstance(account, Company) else account.company
    if company is None or not company.email_index:
        return str(guide.ANSWERS["responsible_email_unknown"])
    params = {
        "person": company.responsible_person or company.name,
        "email": mask_email(company.registered_email),
    }
    if company.last_confirmed_at is None:
        return str(guide.ANSWERS["responsible_email_unconfirmed"]) % params
    day = timezone.localtime(company.last_confirmed_at).strftime("%Y-%m-%d")
    return str(guide.ANSWERS["responsible_email_on_record"]) % {**params, "date": day}


def id_inquiry_answers(
    account: CcusAccount, have: set[str], answered: dict | None = None
) -> list[tuple[str, str, str | None]]:
    """Answer the five questions of inquiry choice d: (key, question, answer or None to ask)."""
    answers = guide.ANSWERS
    by_key = {
        "registration_complete": registration_answer(account, have, answered or {}),
        "id_kind": str(answers[f"{kind_of(account)}_id"]),
        "notice_email": str(answers["yes" if "completion_email" in have else "no"]),
        "email_changed": responsible_email_answer(account),
        "security_code": str(answers["security_code_on_record" if account.security_code else "no"]),
    }
    return [(key, question, by_key[key]) for key, question in guide.ID_INQUIRY_QUESTIONS]


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
