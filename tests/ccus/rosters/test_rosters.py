"""Reading and importing worker rosters: encodings, Excel, Japanese headers, all or nothing."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from ccus.accounts.dates import parse_date
from ccus.accounts.models import Worker
from ccus.rosters.importer import roster_import
from ccus.rosters.read import read_roster
from ccus.rosters.rows import check_rows, map_headers
from tests.factories import make_company, make_worker
from vault.audit.models import AuditEvent

HEADER = "氏名,フリガナ,技能者ID,生年月日,カード有効期限,メールアドレス"


def _csv(lines: list[str], encoding: str = "utf-8") -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def _check(organization, data: bytes, filename: str = "roster.csv", remembered=None):
    sheet = read_roster(data, filename)
    return sheet, check_rows(organization, sheet, map_headers(sheet.header, remembered))


@pytest.mark.django_db
def test_it_reads_cp932_with_half_width_katakana_and_full_width_digits(organization):
    data = _csv(
        [HEADER, "山田 太郎,ﾔﾏﾀﾞ ﾀﾛｳ,１２３４５６７８９０１２３４,昭和56年2月3日,R9.3.31,"], "cp932"
    )
    sheet, [row] = _check(organization, data)
    assert sheet.encoding == "cp932"
    assert row.action == "new" and row.errors == {}
    assert row.values["name_kana"] == "ヤマダ タロウ"
    assert row.values["ccus_id"] == "12345678901234"
    assert row.values["birth_date"] == datetime.date(1981, 2, 3)
    assert row.values["card_expires_on"] == datetime.date(2027, 3, 31)


@pytest.mark.django_db
def test_it_reads_utf8_with_bom_and_drops_empty_rows(organization):
    data = "\ufeff".encode() + _csv(
        [HEADER, ",,,,,", "佐藤 花子,サトウ ハナコ,,1990/04/01,,h@example.jp", "  ,  ,,,,"]
    )
    sheet, rows = _check(organization, data)
    assert sheet.header[0] == "氏名" and sheet.encoding == "utf-8-sig"
    assert len(rows) == 1 and rows[0].values["registered_email"] == "h@example.jp"


@pytest.mark.django_db
def test_it_reads_excel_dates_as_cells_and_as_text(organization):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(","))
    sheet.append(
        [
            "鈴木 一郎",
            "スズキ イチロウ",
            "11112222333344",
            datetime.datetime(1975, 5, 6),
            "2028年1月31日",
            None,
        ]
    )
    sheet.append([None] * 6)
    sheet.append(
        [
            "田中 次郎",
            "タナカ ジロウ",
            22223333444455,
            "平成元年1月8日",
            datetime.date(2029, 12, 1),
            None,
        ]
    )
    sheet.append(["数式", "スウシキ", "=A1&B1", None, None, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    _sheet, rows = _check(organization, buffer.getvalue(), "roster.xlsx")
    assert [r.values.get("birth_date") for r in rows[:2]] == [
        datetime.date(1975, 5, 6),
        datetime.date(1989, 1, 8),
    ]
    assert rows[0].values["card_expires_on"] == datetime.date(2028, 1, 31)
    assert rows[1].values["ccus_id"] == "22223333444455"
    assert rows[2].action == "error" and "数式" in rows[2].errors["ccus_id"]


@pytest.mark.django_db
def test_it_says_what_is_wrong_with_each_cell_in_japanese(organization):
    data = _csv(
        [
            HEADER,
            "十三桁,,1234567890123,,,",
            "十五桁,,123456789012345,,,",
            "日付,,,2027/02/30,明日,",
            ",名前なし,,,,",
            "メール,,,,,taro.example.jp",
        ]
    )
    _sheet, rows = _check(organization, data)
    assert [r.action for r in rows] == ["error"] * 5
    assert "13桁" in rows[0].errors["ccus_id"] and "01234567890123" in rows[0].errors["ccus_id"]
    assert "12345678901234" in rows[1].errors["ccus_id"]
    assert rows[2].errors["birth_date"] == "「2027/02/30」は実在しない日付です。"
    assert "card_expires_on" in rows[2].errors
    assert rows[3].errors["name"] and "registered_email" in rows[4].errors


@pytest.mark.django_db
def test_it_finds_duplicates_in_the_file_and_updates_by_id(organization):
    existing = make_worker(
        organization, name="既存 太郎", ccus_id="11112222333344", phone="03-0000-0000"
    )
    data = _csv(
        [
            "氏名,技能者ID,電話番号",
            "既存 太朗,11112222333344,",
            "新人,55556666777788,",
            "二重,5555-6666-7777-88,",
        ]
    )
    _sheet, rows = _check(organization, data)
    assert [r.action for r in rows] == ["update", "new", "duplicate"]
    assert rows[0].existing_id == existing.id
    counts = roster_import(organization=organization, results=rows, actor=None, request=None)
    assert (counts["new"], counts["update"], counts["duplicate"]) == (1, 1, 1)
    fresh = Worker.objects.get(pk=existing.pk)
    assert (fresh.name, fresh.phone) == ("既存 太朗", "03-0000-0000")  # an empty cell keeps it
    assert Worker.objects.count() == 2
    event = AuditEvent.objects.get(action="roster.import")
    assert event.details == {"created": 1, "updated": 1, "unchanged": 0, "skipped": 1}


@pytest.mark.django_db
def test_it_links_workers_to_the_business_by_its_id(organization):
    company = make_company(organization, ccus_id="99998888777766")
    data = _csv(["氏名,所属事業者ID", "所属あり,99998888777766", "所属不明,12341234123412"])
    _sheet, rows = _check(organization, data)
    assert rows[0].values["company_id"] == company.id
    assert rows[1].action == "error" and "company_ccus_id" in rows[1].errors


@pytest.mark.django_db
def test_it_uses_a_mapping_chosen_by_hand(organization):
    data = _csv(["作業員,番号", "山本 剛,11112222333355"])
    _sheet, rows = _check(organization, data, remembered={"作業員": "name", "番号": "ccus_id"})
    assert rows[0].values == {"name": "山本 剛", "ccus_id": "11112222333355"}


@pytest.mark.django_db(transaction=True)
def test_it_changes_nothing_when_the_write_fails_midway(organization, monkeypatch):
    make_worker(organization, name="既存", ccus_id="11112222333344")
    lines = ["氏名,技能者ID", "既存 改,11112222333344"] + [
        f"新人{n},{n:014d}" for n in range(1, 5000)
    ]
    _sheet, rows = _check(organization, _csv(lines))
    before = list(Worker.objects.values_list("id", "name"))

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(Worker.objects, "bulk_update", broken)
    with pytest.raises(RuntimeError):
        roster_import(organization=organization, results=rows, actor=None, request=None)
    assert list(Worker.objects.values_list("id", "name")) == before


@pytest.mark.django_db
def test_it_checks_10000_rows_in_a_few_queries(organization):
    lines = ["氏名,フリガナ,技能者ID"] + [f"技能者{n},ギノウシャ,{n:014d}" for n in range(10_000)]
    sheet = read_roster(_csv(lines), "big.csv")
    with CaptureQueriesContext(connection) as queries:
        rows = check_rows(organization, sheet, map_headers(sheet.header))
    assert len(rows) == 10_000 and all(r.action == "new" for r in rows)
    assert len(queries) <= 2


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("令和元年5月1日", datetime.date(2019, 5, 1)),
        ("H31.4.30", datetime.date(2019, 4, 30)),
        ("２０２７／０３／３１", datetime.date(2027, 3, 31)),
        ("s56.2.3", datetime.date(1981, 2, 3)),
    ],
)
def test_it_reads_japanese_dates(text, day):
    assert parse_date(text) == day


def test_it_refuses_a_file_with_only_a_header():
    with pytest.raises(ValidationError) as caught:
        read_roster(_csv([HEADER]), "roster.csv")
    assert caught.value.code == "empty"


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=400), name=st.sampled_from(["a.csv", "a.xlsx", "a.txt"]))
def test_it_never_crashes_on_any_file(data, name):
    try:
        sheet = read_roster(data, name)
    except ValidationError as error:
        assert error.messages
    else:
        assert sheet.header and sheet.rows


@pytest.mark.django_db
@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)  # it only reads the firm
@given(
    cells=st.lists(st.lists(st.text(max_size=20), min_size=6, max_size=6), min_size=1, max_size=5)
)
def test_it_gives_every_bad_row_a_message(organization, cells):
    from ccus.rosters.read import Sheet

    sheet = Sheet(HEADER.split(","), cells)
    for row in check_rows(organization, sheet, map_headers(sheet.header)):
        assert row.action in {"new", "update", "duplicate", "error"}
        assert (row.action in {"error", "duplicate"}) == bool(row.errors)
        assert all(isinstance(message, str) and message for message in row.errors.values())


@pytest.mark.django_db(transaction=True)
def test_it_changes_nothing_when_row_4999_of_5000_fails_in_the_database(organization):
    make_worker(organization, name="既存", ccus_id="99999999999999")
    lines = ["氏名,技能者ID"] + [f"新人{n},{n:014d}" for n in range(1, 5001)]
    _sheet, rows = _check(organization, _csv(lines))
    # Row 4,999 passed the check, then someone saved its ID elsewhere before the write.
    rows[4997].values["ccus_id"] = "99999999999999"
    assert (rows[4997].number, rows[4997].action) == (4999, "new")
    with pytest.raises(IntegrityError):
        roster_import(organization=organization, results=rows, actor=None, request=None)
    assert list(Worker.objects.values_list("name", flat=True)) == ["既存"]
    assert not AuditEvent.objects.filter(action="roster.import").exists()
