"""Check each roster row: Japanese headers, IDs, dates (西暦 or 和暦), duplicates, updates."""

import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from ccus.accounts.lookup import (
    accounts_by_id,
    accounts_by_indexes,
    id_indexes_by_id,
    stored_id_indexes,
)
from ccus.accounts.models import Company, Worker
from ccus.accounts.text import normalize_kana, remembering_texts
from ccus.rosters.cells import CellReading, read_cell
from vault.firms.models import Organization

# Headings as firms and CCUS's own forms write them -> field. Compared by header_key: NFKC,
# katakana for hiragana, without spaces, brackets or dots, so 生年月日（西暦）, 技能者ＩＤ,
# ｷｬﾘｱｱｯﾌﾟID, 「ふりがな」 and フリガナ are all recognised.
_KANA = ["フリガナ", "カナ", "ヨミガナ", "氏名(フリガナ)", "氏名(カナ)", "氏名カナ", "カナ氏名"]
HEADERS = {
    "氏名": "name", "名前": "name", "技能者氏名": "name", "氏名(漢字)": "name",
    "氏名・名称": "name", "技能者名": "name",
    **dict.fromkeys(_KANA, "name_kana"), "技能者氏名(カナ)": "name_kana",
    "技能者ID": "ccus_id", "CCUSID": "ccus_id", "キャリアアップID": "ccus_id",
    "建設キャリアアップID": "ccus_id", "技能者番号": "ccus_id",
    "生年月日": "birth_date", "生年月日(西暦)": "birth_date",
    "メールアドレス": "registered_email", "登録メールアドレス": "registered_email",
    "メール": "registered_email", "登録済メールアドレス": "registered_email",
    "カード有効期限": "card_expires_on", "有効期限": "card_expires_on",
    "カードの有効期限": "card_expires_on",
    "所属事業者ID": "company_ccus_id", "事業者ID": "company_ccus_id",
    "電話番号": "phone", "電話": "phone", "登録電話番号": "phone", "住所": "address",
    "登録住所": "address", "レベル": "level", "能力評価レベル": "level",
}  # fmt: skip
COMPANY_HEADERS = {
    "事業者名": "name", "会社名": "name", "商号": "name", "名称": "name", "氏名・名称": "name",
    **dict.fromkeys([*_KANA, "事業者名(フリガナ)", "事業者名(カナ)", "事業者名カナ"], "name_kana"),
    "事業者ID": "ccus_id", "登録責任者": "responsible_person",
    "メールアドレス": "registered_email", "登録メールアドレス": "registered_email",
    "登録済メールアドレス": "registered_email", "所在地": "address", "住所": "address",
    "電話番号": "phone", "登録有効期限": "registration_expires_on",
    "事業者登録の有効期限": "registration_expires_on", "有効期限": "registration_expires_on",
}  # fmt: skip
FIELDS_BY_KIND = {
    "worker": ["name", "name_kana", "ccus_id", "birth_date", "registered_email",
               "card_expires_on", "company_ccus_id", "phone", "address", "level"],
    "company": ["name", "name_kana", "ccus_id", "responsible_person", "registered_email",
                "address", "phone", "registration_expires_on"],
}  # fmt: skip
MODELS = {"worker": Worker, "company": Company}
# What importing a row would do, as the preview says it.
ACTION_LABELS = {
    "new": pgettext_lazy("import row", "New"),
    "update": pgettext_lazy("import row", "Update"),
    "unchanged": pgettext_lazy("import row", "Unchanged"),
    "duplicate": pgettext_lazy("import row", "Duplicate in the file"),
    "error": pgettext_lazy("import row", "Error"),
}


def field_choices(kind: str) -> list[tuple[str, str]]:
    """Return (field, label) of what a column of a roster of this kind can be imported as."""
    model = MODELS[kind]
    return [
        (name, str(_("Business ID of the employer")) if name == "company_ccus_id"
         else capfirst(model._meta.get_field(name).verbose_name))
        for name in FIELDS_BY_KIND[kind]
    ]  # fmt: skip


_HEADING_NOISE = re.compile(r"[\s()\[\]{}<>【】「」『』〔〕〈〉《》・.:：*＊※]+")


def header_key(text: str) -> str:
    """Return a heading as compared: NFKC, katakana, no spaces, brackets or dots, upper case."""
    return _HEADING_NOISE.sub("", normalize_kana(str(text))).upper()


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


@dataclass
class RowResult:
    """One data row: its values, what importing it would do, the errors and warnings per column."""

    number: int  # the row as Excel shows it
    values: dict = field(default_factory=dict)
    errors: dict = field(default_factory=dict)
    warnings: dict = field(default_factory=dict)
    candidate: str | None = None  # a 14-digit ID the person may accept for this row
    action: str = "new"  # new | update | unchanged | duplicate | error
    existing_id: int | None = None
    # A new row's ID and its blind indexes as looked up: (ID, ccus_id_index, ccus_id_index_new).
    id_indexes: tuple[str, str, str] | None = None

    @property
    def label(self) -> str:
        """Say what importing this row would do."""
        return str(ACTION_LABELS[self.action])


def check_rows(
    organization: Organization,
    sheet,
    mapping: dict[int, str],
    kind: str = "worker",
    accepted_ids: dict | None = None,
) -> list[RowResult]:
    """Check every row and say what importing it would do, in a few queries for the file."""
    rows = zip(sheet.numbers, sheet.rows, strict=True)
    return check_chunk(organization, rows, mapping, kind, accepted_ids, seen={})


def check_chunks(
    organization: Organization,
    rows: Iterable[tuple[int, list]],
    mapping: dict[int, str],
    kind: str = "worker",
    accepted_ids: dict | None = None,
    size: int = 1_000,
) -> Iterator[list[RowResult]]:
    """Check rows as they are read, a chunk at a time, with the same outcome as check_rows."""
    seen: dict[str, int] = {}
    rows = iter(rows)
    while chunk := list(itertools.islice(rows, size)):
        yield check_chunk(organization, chunk, mapping, kind, accepted_ids, seen)


def check_chunk(
    organization: Organization,
    rows: Iterable[tuple[int, list]],
    mapping: dict[int, str],
    kind: str,
    accepted_ids: dict | None,
    seen: dict[str, int],
) -> list[RowResult]:
    """Check (row number, cells) pairs; seen holds the IDs of earlier rows, by row number."""
    accepted_ids = accepted_ids or {}
    today = timezone.localdate()
    results = []
    with remembering_texts():
        for number, row in rows:
            reading = CellReading()
            for position, name in mapping.items():
                read_cell(name, row[position], reading, kind, accepted_ids.get(str(number)), today)
            result = RowResult(number, reading.values, reading.errors, reading.warnings)
            result.candidate = reading.candidate
            if not result.values.get("name") and "name" not in result.errors:
                result.errors["name"] = _("The name is empty.")
            results.append(result)
    _link_companies(organization, results, kind)
    _classify(organization, results, MODELS[kind], seen)
    return results


def _link_companies(organization: Organization, results: list[RowResult], kind: str) -> None:
    """Turn each worker row's 所属事業者ID into the business account it names."""
    company_ids = {r.values["company_ccus_id"] for r in results if r.values.get("company_ccus_id")}
    if kind != "worker" or not company_ids:
        return
    companies = accounts_by_id(Company.objects, organization, company_ids)
    for result in results:
        company_id = result.values.pop("company_ccus_id", None)
        if company_id:
            found = companies.get(company_id)
            if found is None:
                result.errors["company_ccus_id"] = _(
                    "No business account with this 事業者ID is in the vault. Add it first."
                )
            result.values["company_id"] = found


def _unchanged(account, values: dict) -> bool:
    """Tell whether every filled cell of a row equals what the vault holds already."""
    return all(getattr(account, name) == value for name, value in values.items() if value)


def _classify(organization: Organization, results: list[RowResult], model, seen: dict) -> None:
    """Mark updates and unchanged rows (ID in the vault), duplicates in the file, and errors.

    An ID in seen (earlier in the file) makes a duplicate before the vault is asked: once
    earlier chunks are written, the vault holds their IDs too.
    """
    ids = {r.number: r.values["ccus_id"] for r in results
           if r.values.get("ccus_id") and not r.errors}  # fmt: skip
    for result in results:
        result.values.pop("company_ccus_id", None)
    fields = {"company" if name == "company_id" else name for r in results for name in r.values}
    # Not set(seen): it grows with the file, and would be copied for every chunk.
    indexes = id_indexes_by_id(organization, {i for i in ids.values() if i not in seen})
    found = accounts_by_indexes(model.objects, organization, indexes)
    accounts = model.objects.filter(id__in=found.values()).only("id", *fields).in_bulk()
    existing = {ccus_id: accounts[pk] for ccus_id, pk in found.items()}
    for result in results:
        ccus_id = ids.get(result.number)
        if result.errors:
            result.action = "error"
        elif ccus_id and ccus_id in seen:
            result.action = "duplicate"
            result.errors["ccus_id"] = _("The same ID is on row %(row)s.") % {"row": seen[ccus_id]}
        elif ccus_id and ccus_id in existing:
            account = existing[ccus_id]
            result.existing_id = account.id
            result.action = "unchanged" if _unchanged(account, result.values) else "update"
        elif ccus_id:
            result.id_indexes = (ccus_id, *stored_id_indexes(indexes[ccus_id]))
        if ccus_id and ccus_id not in seen:
            seen[ccus_id] = result.number
