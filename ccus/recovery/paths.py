"""Choose the one right path for what is missing and at hand, and fill CCUS's items."""

import datetime
from dataclasses import dataclass

from ccus.accounts.kinds import kind_of
from ccus.accounts.models import CcusAccount
from ccus.recovery import guide


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
