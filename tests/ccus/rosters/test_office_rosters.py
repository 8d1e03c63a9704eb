"""Rosters as offices really keep them: re-imports, both kinds, Excel's damage, row numbers."""

import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook

from ccus.accounts.models import Company, Worker
from ccus.rosters import jobs
from ccus.rosters.models import ImportJob
from ccus.rosters.rows import map_headers
from tests.factories import make_company, make_worker

COMPANY_FILE = [
    "事業者名,事業者ID,登録責任者,所在地,電話番号,登録有効期限",
    "㈱山田組,11112222333344,山田 花子,東京都千代田区1-1,03-1111-2222,令和10年3月31日",
    "有限会社 川口建設,55556666777788,川口 一郎,埼玉県川口市2-2,048-111-2222,2029/06/30",
]


def _data(lines: list[str], encoding: str = "utf-8") -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def _xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _preview(client, data: bytes, name: str = "roster.csv", kind: str = "worker"):
    """Upload a file as a person does and return its job and preview page."""
    client.post("/workers/import/", {"kind": kind, "file": SimpleUploadedFile(name, data)})
    job = ImportJob.objects.latest("created_at")
    return job, client.get(f"/imports/{job.uuid}/preview/")


def _rows(preview) -> dict:
    return {r.number: r for r in preview.context["page"]}


def _snapshot(model) -> list[tuple]:
    columns = ["id", "name", "responsible_person", "ccus_id_index", "registration_expires_on"]
    accounts = model.objects.order_by("id")
    if model is Worker:
        columns = ["id", "name", "name_kana", "ccus_id_index", "birth_date", "company_id"]
    return [(*[getattr(a, c) for c in columns], a.address, a.phone) for a in accounts]


@pytest.mark.django_db
def test_it_re_imports_an_unchanged_business_roster_as_unchanged(staff_client, organization):
    job, _preview_page = _preview(staff_client, _data(COMPANY_FILE, "cp932"), kind="company")
    staff_client.post(f"/imports/{job.uuid}/confirm/")
    before = _snapshot(Company)
    assert [name for _id, name, *_ in before] == ["㈱山田組", "有限会社 川口建設"]

    again, preview = _preview(staff_client, _data(COMPANY_FILE, "cp932"), kind="company")
    assert preview.status_code == 200
    assert preview.context["counts"]["unchanged"] == 2
    response = staff_client.post(f"/imports/{again.uuid}/confirm/")
    assert response.status_code == 302
    again.refresh_from_db()
    assert again.status == "done" and again.counts == {"unchanged": 2}
    assert _snapshot(Company) == before


@pytest.mark.django_db
def test_it_never_matches_a_business_row_with_a_worker(staff_client, organization):
    worker = make_worker(organization, name="技能者 一郎", ccus_id="99990000111122")
    bystander = make_company(organization, name="無関係な会社", ccus_id="12121212121212")
    # The business whose database id equals the worker's: the one a worker lookup would hit.
    Company.objects.filter(pk=bystander.pk).update(id=worker.id)
    lines = ["事業者名,事業者ID", "新しい会社,99990000111122"]
    job, preview = _preview(staff_client, _data(lines), kind="company")
    assert [r.action for r in preview.context["page"]] == ["new"]
    staff_client.post(f"/imports/{job.uuid}/confirm/")
    assert Company.objects.get(pk=worker.id).name == "無関係な会社"
    assert Company.objects.get(pk=worker.id).ccus_id == "12121212121212"
    assert Company.objects.get(name="新しい会社").ccus_id == "99990000111122"
    assert Worker.objects.get(pk=worker.pk).name == "技能者 一郎"


@pytest.mark.django_db
def test_it_never_matches_a_worker_row_with_a_business(staff_client, organization):
    company = make_company(organization, name="協力建設", ccus_id="99990000111122")
    job, preview = _preview(staff_client, _data(["氏名,技能者ID", "同じ番号,99990000111122"]))
    assert [r.action for r in preview.context["page"]] == ["new"]
    staff_client.post(f"/imports/{job.uuid}/confirm/")
    assert Worker.objects.get().name == "同じ番号"
    assert Company.objects.get(pk=company.pk).name == "協力建設"


@pytest.mark.django_db
def test_it_sorts_a_mixed_business_file_into_each_result(staff_client, organization):
    make_company(organization, name="㈱山田組", ccus_id="11112222333344",
                 responsible_person="山田 花子", address="東京都千代田区1-1", phone="03-1111-2222",
                 registration_expires_on=datetime.date(2028, 3, 31))  # fmt: skip
    make_company(organization, name="旧名 建設", ccus_id="55556666777788")
    lines = [*COMPANY_FILE, "新規 工業,99998888777766,,,,", "番号違い,1234,,,,"]
    job, preview = _preview(staff_client, _data(lines), kind="company")
    assert [r.action for r in preview.context["page"]] == ["unchanged", "update", "new", "error"]
    staff_client.post(f"/imports/{job.uuid}/confirm/")
    names = set(Company.objects.values_list("name", flat=True))
    assert names == {"㈱山田組", "有限会社 川口建設", "新規 工業"}
    job.refresh_from_db()
    assert job.counts == {"unchanged": 1, "update": 1, "new": 1, "error": 1}


@pytest.mark.django_db
def test_it_re_imports_an_unchanged_worker_roster_as_unchanged(staff_client, organization):
    lines = [
        "氏名,フリガナ,技能者ID,生年月日,住所",
        "山田 太郎,ﾔﾏﾀﾞ ﾀﾛｳ,12345678901234,S56.2.3,大阪",
    ]
    job, _page = _preview(staff_client, _data(lines, "cp932"))
    staff_client.post(f"/imports/{job.uuid}/confirm/")
    before = _snapshot(Worker)
    again, preview = _preview(staff_client, _data(lines, "cp932"))
    assert [r.action for r in preview.context["page"]] == ["unchanged"]
    staff_client.post(f"/imports/{again.uuid}/confirm/")
    assert _snapshot(Worker) == before


@pytest.mark.django_db
def test_it_says_in_japanese_why_a_job_failed(staff_client, organization, monkeypatch):
    from django.db import IntegrityError

    def taken(**kwargs):
        raise IntegrityError('duplicate key value violates unique constraint "worker_unique_id"')

    monkeypatch.setattr(jobs, "roster_import", taken)
    job, _page = _preview(staff_client, _data(["氏名,技能者ID", "山田,12345678901234"]))
    response = staff_client.post(f"/imports/{job.uuid}/confirm/", follow=True)
    body = response.content.decode()
    assert response.status_code == 200
    assert "取り込みの途中で、ファイル内のIDのひとつが別のアカウントに保存されました" in body
    assert "IntegrityError" not in body and "duplicate key" not in body
    job.refresh_from_db()
    assert (job.status, job.error) == ("failed", "id_taken")


@pytest.mark.django_db
def test_it_counts_imported_rows_as_confirmed_by_the_importer(staff_client, staff, organization):
    job, _page = _preview(staff_client, _data(["氏名,技能者ID", "新人,12345678901234"]))
    staff_client.post(f"/imports/{job.uuid}/confirm/")
    worker = Worker.objects.get()
    assert worker.last_confirmed_by == staff
    assert timezone.now() - worker.last_confirmed_at < datetime.timedelta(minutes=1)
    counts = dict(staff_client.get("/").context["sections"][1][2])
    assert counts["unconfirmed"] == 0


@pytest.mark.django_db
def test_it_tells_that_excel_lost_the_digits_and_reads_a_number_cells_text(staff_client):
    lines = ["氏名,技能者ID", "指数,1.23457E+13", "小数,12345678901234.0"]
    job, preview = _preview(staff_client, _data(lines))
    rows = _rows(preview)
    message = rows[2].errors["ccus_id"]
    assert "Excelの中ですでに失われていて" in message and "文字列" in message
    assert "消して" not in message and "削除" not in message
    assert rows[3].action == "new" and rows[3].values["ccus_id"] == "12345678901234"
    staff_client.post(f"/imports/{job.uuid}/confirm/")
    assert Worker.objects.get().ccus_id == "12345678901234"


@pytest.mark.django_db
def test_it_offers_the_14_digits_of_a_13_digit_id_and_takes_them_only_when_clicked(staff_client):
    data = _xlsx([["氏名", "技能者ID"], ["先頭ゼロ", 1234567890123], ["正しい", "22223333444455"]])
    job, preview = _preview(staff_client, data, "roster.xlsx")
    body = preview.content.decode()
    assert "先頭の0が消えた可能性があります" in body
    assert 'name="ccus_id" value="01234567890123"' in body
    assert _rows(preview)[2].action == "error"
    staff_client.post(f"/imports/{job.uuid}/accept/", {"row": "2", "ccus_id": "99999999999999"})
    assert _rows(staff_client.get(f"/imports/{job.uuid}/preview/"))[2].action == "error"
    staff_client.post(f"/imports/{job.uuid}/accept/", {"row": "2", "ccus_id": "01234567890123"})
    assert _rows(staff_client.get(f"/imports/{job.uuid}/preview/"))[2].action == "new"
    staff_client.post(f"/imports/{job.uuid}/confirm/")
    assert Worker.objects.get(name="先頭ゼロ").ccus_id == "01234567890123"


@pytest.mark.django_db
def test_it_accepts_every_offered_id_at_once(staff_client):
    lines = ["氏名,技能者ID", "一,1234567890123", "二,2234567890123", "三,3234567890123"]
    job, preview = _preview(staff_client, _data(lines))
    assert preview.context["offered"] == 3
    staff_client.post(f"/imports/{job.uuid}/accept/", {"all": "1"})
    staff_client.post(f"/imports/{job.uuid}/confirm/")
    assert sorted(Worker.objects.values_list("ccus_id_last4", flat=True)) == ["0123"] * 3
    assert Worker.objects.filter(name="二").get().ccus_id == "02234567890123"


@pytest.mark.django_db
def test_it_warns_that_excel_may_have_rounded_an_id_ending_in_zeros(staff_client):
    data = _xlsx(
        [
            ["氏名", "技能者ID"],
            ["数値セル", 12345678000000],
            ["文字列", "22345678000000"],
            ["指数14桁", "1.2345600000000E+13"],
        ]
    )
    _job, preview = _preview(staff_client, data, "roster.xlsx")
    rows = _rows(preview)
    assert [rows[n].action for n in (2, 3, 4)] == ["new", "new", "new"]
    assert "丸めた可能性があります" in rows[2].warnings["ccus_id"]
    assert "ccus_id" not in rows[3].warnings
    assert rows[4].values["ccus_id"] == "12345600000000" and rows[4].warnings["ccus_id"]
    assert "丸めた可能性があります" in preview.content.decode()


@pytest.mark.django_db
def test_it_reads_the_dates_excel_writes_and_names_the_right_era(staff_client):
    epoch = datetime.date(1899, 12, 30)
    serial, expiry = (
        (datetime.date(1975, 4, 1) - epoch).days,
        (datetime.date(2030, 3, 31) - epoch).days,
    )
    data = _xlsx(
        [
            ["氏名", "生年月日", "カード有効期限"],
            ["シリアル値", serial, "2030/3/31 0:00"],
            ["八桁", "19750401", "2030年3月31日"],
            ["CSV形式", "1975/4/1 0:00", str(expiry)],
            ["平成32年", "平成32年4月1日", None],
            ["令和元年4月", "令和元年4月30日", None],
            ["子ども", datetime.date(2020, 4, 1), None],
        ]
    )
    _job, preview = _preview(staff_client, data, "roster.xlsx")
    rows = _rows(preview)
    for number in (2, 3, 4):
        assert rows[number].values["birth_date"] == datetime.date(1975, 4, 1), number
    assert rows[2].values["card_expires_on"] == datetime.date(2030, 3, 31)
    assert rows[4].values["card_expires_on"] == datetime.date(2030, 3, 31)
    assert "令和2年4月1日 (2020-04-01)" in rows[5].errors["birth_date"]
    assert "平成31年4月30日 (2019-04-30)" in rows[6].errors["birth_date"]
    assert rows[7].action == "new" and "歳になります" in rows[7].warnings["birth_date"]


@pytest.mark.django_db
def test_it_numbers_rows_as_excel_shows_them(staff_client):
    lines = ["氏名,技能者ID", ",", "山田,12345678901234", "", "田中,1234-5678-9012-34", "鈴木,12"]
    job, preview = _preview(staff_client, _data(lines))
    rows = _rows(preview)
    assert sorted(rows) == [3, 5, 6]
    assert rows[5].errors["ccus_id"] == "同じIDが3行目にもあります。"
    assert "<td>5</td>" in preview.content.decode()
    errors = staff_client.get(f"/imports/{job.uuid}/errors/")
    assert errors["Content-Disposition"] == 'attachment; filename="errors-roster.csv"'
    table = list(csv.reader(io.StringIO(errors.content.decode("utf-8-sig"))))
    assert table[0] == ["行", "氏名", "技能者ID", "エラー"]
    assert [row[0] for row in table[1:]] == ["5", "6"]


@pytest.mark.django_db
def test_it_numbers_excel_rows_with_blank_rows_counted(staff_client):
    data = _xlsx([["氏名", "技能者ID"], [None, None], ["山田", "12"], [None, None], [None, 5]])
    _job, preview = _preview(staff_client, data, "roster.xlsx")
    assert sorted(_rows(preview)) == [3]  # row 5 holds only a number: a numbered template row


@pytest.mark.parametrize(
    ("heading", "field"),
    [
        ("生年月日（西暦）", "birth_date"),
        ("生年月日 (西暦)", "birth_date"),
        ("【生年月日】", "birth_date"),
        ("技能者ＩＤ", "ccus_id"),
        ("技能者 ＩＤ", "ccus_id"),
        ("ｷｬﾘｱｱｯﾌﾟID", "ccus_id"),
        ("フリガナ", "name_kana"),
        ("ふりがな", "name_kana"),
        ("カナ", "name_kana"),
        ("ﾌﾘｶﾞﾅ", "name_kana"),
        ("氏名（フリガナ）", "name_kana"),
        ("「氏名」", "name"),
        ("メールアドレス ", "registered_email"),
    ],
)
def test_it_recognises_headings_as_firms_and_ccus_write_them(heading, field):
    assert map_headers([heading]) == {0: field}


@pytest.mark.django_db
def test_it_skips_numbered_template_rows(staff_client):
    lines = ["No.,氏名（漢字）,ふりがな,技能者ＩＤ,生年月日（西暦）"]
    lines += ["1,山田 太郎,やまだ たろう,12345678901234,1981/02/03"]
    lines += [f"{n},,,," for n in range(2, 31)]
    job, preview = _preview(staff_client, _data(lines, "cp932"))
    assert preview.context["counts"] == {
        "new": 1, "update": 0, "unchanged": 0, "duplicate": 0, "error": 0
    }  # fmt: skip
    assert preview.context["unknown"] == ["No."]
    staff_client.post(f"/imports/{job.uuid}/confirm/")
    worker = Worker.objects.get()
    assert (worker.name_kana, worker.birth_date) == ("ヤマダ タロウ", datetime.date(1981, 2, 3))


@pytest.mark.django_db
def test_it_stores_readings_in_katakana_and_names_as_typed(staff_client):
    lines = [
        "氏名,フリガナ,電話番号",
        "佐々木 健,ささき けん,０９０ー１１１１ー２２２２",
        "髙橋 ㈱,ﾀｶﾊｼ,",
    ]
    job, _page = _preview(staff_client, _data(lines, "cp932"))
    staff_client.post(f"/imports/{job.uuid}/confirm/")
    stored = {w.name: (w.name_kana, w.phone) for w in Worker.objects.all()}
    assert stored == {"佐々木 健": ("ササキ ケン", "090-1111-2222"), "髙橋 ㈱": ("タカハシ", None)}
