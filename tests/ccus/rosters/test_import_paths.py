"""The streamed import (chunks, one-pass sealing, COPY) writes what the import wrote before."""

import datetime
import io
from collections import Counter

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import transaction
from openpyxl import Workbook

from ccus.accounts.models import Worker
from ccus.accounts.versions import accounts_changed
from ccus.rosters.importer import _apply, roster_import
from ccus.rosters.read import count_rows, read_roster, stream_roster
from ccus.rosters.rows import check_chunks, check_rows, map_headers
from tests.factories import make_company, make_member, make_worker
from vault.crypto.fields import encrypted_fields

NOW = datetime.datetime(2026, 11, 24, 9, tzinfo=datetime.UTC)
HEADER = ["氏名", "フリガナ", "技能者ID", "生年月日", "メールアドレス", "カード有効期限",
          "所属事業者ID", "電話番号", "住所", "レベル"]  # fmt: skip
ROWS = [
    ["山田 太郎", "ﾔﾏﾀﾞ ﾀﾛｳ", "１２３４５６７８９０１２３４", "昭和56年2月3日", "taro@example.jp",
     "2030/03/31", "55556666777788", "０９０（１２３４）５６７８", "東京都千代田区1-1 ㈱ビル", "2"],
    ["佐々木 健", "ささき けん", "22223333444455", "1990-04-01", "", "令和12年1月31日", "",
     "03-1111-2222", "", ""],
    # The worker the vault holds already: one changed cell, one cell as it is.
    ["既存 一郎", "キソン イチロウ", "99998888777766", "", "kison@example.jp", "", "", "", "", "3"],
    ["変更 なし", "", "11110000222233", "", "", "", "", "", "", ""],
    ["二重 登録", "ニジュウ", "22223333444455", "", "", "", "", "", "", ""],  # duplicate of row 3
    ["誤り 花子", "アヤマリ", "1234", "", "", "", "", "", "", ""],  # a 4-digit ID: an error
    ["ID なし", "アイディー ナシ", "", "H2.5.6", "no-id@docomo.ne.jp", "", "", "", "", "1"],
    ["", "ナマエ ナシ", "33334444555566", "", "", "", "", "", "", ""],  # no name: an error
    ["井上 三郎", "イノウエ サブロウ", "44445555666677", "", "", "2031年12月1日", "", "", "", ""],
]  # fmt: skip


def _csv(rows=ROWS) -> bytes:
    lines = [",".join(HEADER)] + [",".join(row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode("cp932")


def _xlsx() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in ROWS:
        sheet.append([cell or None for cell in row])
    sheet.append([None] * len(HEADER))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _import_as_before(*, organization, results, actor) -> Counter:
    """The import as it was written before: a model instance per row, bulk_create, bulk_update."""
    counts: Counter = Counter(result.action for result in results)
    new = []
    for result in results:
        if result.action == "new":
            account = Worker(organization=organization)
            _apply(account, result.values, actor)
            new.append(account)
    Worker.objects.bulk_create(new, batch_size=500)
    updates = {r.existing_id: r for r in results if r.action == "update"}
    changed = []
    for account in Worker.objects.filter(organization=organization, id__in=list(updates)):
        _apply(account, updates[account.id].values, actor)
        changed.append(account)
    derived = {"ccus_id_index", "ccus_id_index_new", "ccus_id_last4", "email_index",
               "email_index_new", "hint_is_code", "search_text", "last_confirmed_at",
               "last_confirmed_by", "updated_at"}  # fmt: skip
    fields = sorted({n for r in updates.values() for n, v in r.values.items() if v} | derived)
    if changed:
        Worker.objects.bulk_update(changed, fields, batch_size=500)
    accounts_changed(organization.id)
    return counts


def _snapshot(organization) -> list[dict]:
    """Return every worker of the firm, every column, the sealed ones opened; not id and UUID."""
    names = [f.attname for f in Worker._meta.concrete_fields if f.attname not in {"id", "uuid"}]
    sealed = {f.attname for f in encrypted_fields(Worker)}
    rows = []
    for worker in Worker.objects.filter(organization=organization).order_by("name", "id"):
        rows.append({name: getattr(worker, name) for name in names})
        assert all(not isinstance(rows[-1][name], bytes) for name in sealed)
    return rows


@pytest.fixture
def held(organization):
    """The firm's business account and the two workers the roster names."""
    company = make_company(organization, name="山田工業", ccus_id="55556666777788")
    make_worker(organization, name="既存 一郎", ccus_id="99998888777766", phone="03-0000-0000")
    make_worker(organization, name="変更 なし", ccus_id="11110000222233")
    return company


@pytest.mark.django_db
@pytest.mark.parametrize(("filename", "data"), [("roster.csv", _csv()), ("roster.xlsx", _xlsx())])
def test_it_writes_the_same_rows_as_the_import_before(organization, held, filename, data):
    actor = make_member(organization, "admin")
    with time_machine.travel(NOW, tick=False):
        with transaction.atomic():
            sheet = read_roster(data, filename)
            results = check_rows(organization, sheet, map_headers(sheet.header))
            before_counts = _import_as_before(organization=organization, results=results,
                                              actor=actor)  # fmt: skip
            before = _snapshot(organization)
            transaction.set_rollback(True)
        stream = stream_roster(data, filename)
        # Chunks of two rows: the duplicate and its first row fall in different chunks.
        chunks = check_chunks(organization, stream.rows, map_headers(stream.header), size=2)
        counts = roster_import(organization=organization, chunks=chunks, actor=actor,
                               request=None)  # fmt: skip
        after = _snapshot(organization)
    assert counts == before_counts
    assert dict(counts) == {"new": 4, "update": 1, "unchanged": 1, "duplicate": 1, "error": 2}
    assert len(after) == 2 + 4 and after == before
    yamada = next(row for row in after if row["name"] == "山田 太郎")
    assert yamada["ccus_id"] == "12345678901234"
    assert yamada["birth_date"] == datetime.date(1981, 2, 3)
    assert yamada["company_id"] == held.id and yamada["level"] == 2
    assert yamada["last_confirmed_at"] == NOW and yamada["last_confirmed_by_id"] == actor.id


@pytest.mark.django_db
def test_it_checks_in_chunks_as_it_checks_the_whole_file(organization, held):
    sheet = read_roster(_csv(), "roster.csv")
    whole = check_rows(organization, sheet, map_headers(sheet.header))
    stream = stream_roster(_csv(), "roster.csv")
    chunked = [
        r for chunk in check_chunks(organization, stream.rows, map_headers(stream.header), size=3)
        for r in chunk
    ]  # fmt: skip
    assert [(r.number, r.action, r.values, r.errors, r.existing_id) for r in chunked] == [
        (r.number, r.action, r.values, r.errors, r.existing_id) for r in whole
    ]


def test_it_reads_50000_rows_and_refuses_one_more():
    def roster(rows: int) -> bytes:
        lines = ["氏名,技能者ID"] + [f"技能者{n},{n:014d}" for n in range(1, rows + 1)]
        return ("\r\n".join(lines) + "\r\n").encode()

    assert count_rows(roster(50_000), "roster.csv") == 50_000
    with pytest.raises(ValidationError) as caught:
        count_rows(roster(50_001), "roster.csv")
    assert caught.value.code == "too_many_rows"
