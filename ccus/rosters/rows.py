"""Check each roster row: Japanese headers, IDs, dates (西暦 or 和暦), duplicates, updates."""

import re
import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ccus.accounts.dates import parse_date
from ccus.accounts.lookup import ccus_id_index
from ccus.accounts.models import Company, Worker
from ccus.accounts.validators import normalize_ccus_id, validate_ccus_id, validate_registered_email
from vault.firms.models import Organization

# Header as people write it (after NFKC, without spaces) -> worker field.
HEADERS = {
    "氏名": "name", "名前": "name", "技能者氏名": "name", "氏名(漢字)": "name",
    "氏名・名称": "name",
    "フリガナ": "name_kana", "ふりがな": "name_kana", "カナ": "name_kana",
    "氏名(カナ)": "name_kana",
    "技能者ID": "ccus_id", "CCUSID": "ccus_id", "キャリアアップID": "ccus_id",
    "生年月日": "birth_date",
    "メールアドレス": "registered_email", "登録メールアドレス": "registered_email",
    "メール": "registered_email",
    "カード有効期限": "card_expires_on", "有効期限": "card_expires_on",
    "所属事業者ID": "company_ccus_id", "事業者ID": "company_ccus_id",
    "電話番号": "phone", "電話": "phone", "住所": "address", "レベル": "level",
}  # fmt: skip
COMPANY_HEADERS = {
    "事業者名": "name", "会社名": "name", "商号": "name", "名称": "name", "氏名・名称": "name",
    "フリガナ": "name_kana", "ふりがな": "name_kana", "事業者ID": "ccus_id",
    "登録責任者": "responsible_person", "メールアドレス": "registered_email",
    "登録メールアドレス": "registered_email", "所在地": "address", "住所": "address",
    "電話番号": "phone", "登録有効期限": "registration_expires_on",
    "事業者登録の有効期限": "registration_expires_on", "有効期限": "registration_expires_on",
}  # fmt: skip
FIELDS_BY_KIND = {
    "worker": ["name", "name_kana", "ccus_id", "birth_date", "registered_email",
               "card_expires_on", "company_ccus_id", "phone", "address", "level"],
    "company": ["name", "name_kana", "ccus_id", "responsible_person", "registered_email",
                "address", "phone", "registration_expires_on"],
}  # fmt: skip
DATE_FIELDS = {"birth_date", "card_expires_on", "registration_expires_on"}
MODELS = {"worker": Worker, "company": Company}


def header_key(text: str) -> str:
    """Return a header as compared: NFKC, no spaces, upper-case Latin letters."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text))).upper()


_KNOWN = {
    "worker": {header_key(name): target for name, target in HEADERS.items()},
    "company": {header_key(name): target for name, target in COMPANY_HEADERS.items()},
}


def map_headers(
    header: list[str], remembered: dict[str, str] | None = None, kind: str = "worker"
) -> dict[int, str]:
    """Return column position -> field for the columns recognised (or mapped by hand before)."""
    remembered = {header_key(k): v for k, v in (remembered or {}).items()}
    mapping = {}
    for position, text in enumerate(header):
        target = remembered.get(header_key(text)) or _KNOWN[kind].get(header_key(text))
        if target in FIELDS_BY_KIND[kind] and target not in mapping.values():
            mapping[position] = target
    return mapping


def _text(value) -> str:
    return unicodedata.normalize("NFKC", str(value)).strip() if value != "" else ""


@dataclass
class RowResult:
    """One data row: its values, what importing it would do, and the errors per column."""

    number: int
    values: dict = field(default_factory=dict)
    errors: dict = field(default_factory=dict)
    action: str = "new"  # new | update | duplicate | error
    existing_id: int | None = None


def _check_cell(name: str, raw, values: dict, errors: dict, kind: str) -> None:
    if isinstance(raw, str) and raw.strip().startswith("="):
        errors[name] = _("This cell holds a formula. Paste it as a value and upload again.")
        return
    try:
        if name in DATE_FIELDS:
            values[name] = parse_date(raw)
        elif name in ("ccus_id", "company_ccus_id"):
            text = _text(raw)
            id_kind = "company" if name == "company_ccus_id" else kind
            values[name] = validate_ccus_id(text, kind=id_kind) if normalize_ccus_id(text) else None
        elif name == "registered_email":
            text = _text(raw)
            values[name] = validate_registered_email(text) if text else None
        elif name == "level":
            text = _text(raw)
            if text and text not in {"1", "2", "3", "4"}:
                raise ValidationError(_("The level is 1, 2, 3 or 4."), code="level")
            values[name] = int(text) if text else None
        else:
            values[name] = _text(raw)
    except ValidationError as error:
        errors[name] = " ".join(error.messages)


def check_rows(
    organization: Organization, sheet, mapping: dict[int, str], kind: str = "worker"
) -> list[RowResult]:
    """Check every row and say what importing it would do, in a few queries for the file."""
    results = []
    for number, row in enumerate(sheet.rows, start=2):
        result = RowResult(number)
        for position, name in mapping.items():
            _check_cell(name, row[position], result.values, result.errors, kind)
        if not result.values.get("name") and "name" not in result.errors:
            result.errors["name"] = _("The name is empty.")
        results.append(result)
    _classify(organization, results, MODELS[kind])
    return results


def _classify(organization: Organization, results: list[RowResult], model) -> None:
    """Mark updates (ID already in the vault), duplicates within the file, and errors."""
    indexes = {
        r.number: ccus_id_index(organization, r.values["ccus_id"])
        for r in results if r.values.get("ccus_id")
    }  # fmt: skip
    existing = dict(
        Worker.objects.filter(
            organization=organization, ccus_id_index__in=set(indexes.values())
        ).values_list("ccus_id_index", "id")
    )
    company_ids = {
        ccus_id_index(organization, r.values["company_ccus_id"]): r.values["company_ccus_id"]
        for r in results if r.values.get("company_ccus_id")
    }  # fmt: skip
    companies = dict(
        Company.objects.filter(
            organization=organization, ccus_id_index__in=set(company_ids)
        ).values_list("ccus_id_index", "id")
    )
    seen = {}
    for result in results:
        company_id = result.values.pop("company_ccus_id", None)
        if company_id:
            found = companies.get(ccus_id_index(organization, company_id))
            if found is None:
                result.errors["company_ccus_id"] = _(
                    "No business account with this 事業者ID is in the vault. Add it first."
                )
            result.values["company_id"] = found
        index = indexes.get(result.number)
        if result.errors:
            result.action = "error"
        elif index and index in seen:
            result.action = "duplicate"
            result.errors["ccus_id"] = _("The same ID is on row %(row)s.") % {"row": seen[index]}
        elif index and index in existing:
            result.action, result.existing_id = "update", existing[index]
        if index and index not in seen:
            seen[index] = result.number
