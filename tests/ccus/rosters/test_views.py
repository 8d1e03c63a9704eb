"""Roster pages: upload, preview, map, confirm, background import, error rows, export."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from ccus.accounts.models import Worker
from ccus.rosters import jobs
from ccus.rosters.models import ImportJob, ImportMapping
from tests.console import sign_in
from tests.factories import SECRETS, leaked, make_secret_worker, make_worker
from vault.audit.models import AuditEvent

ONE_NEW_ONE_ERROR = {"new": 1, "update": 0, "unchanged": 0, "duplicate": 0, "error": 1}


def _upload(client, lines: list[str], name: str = "roster.csv", encoding: str = "utf-8"):
    data = ("\r\n".join(lines) + "\r\n").encode(encoding)
    return client.post("/workers/import/", {"file": SimpleUploadedFile(name, data)})


@pytest.mark.django_db
def test_it_starts_the_import_kind_on_workers(staff_client):
    def radio(page: str, value: str) -> str:
        return re.search(rf'<input type="radio" name="kind" value="{value}"[^>]*>', page).group()

    page = staff_client.get("/workers/import/").content.decode()
    assert "checked" in radio(page, "worker") and "checked" not in radio(page, "company")
    companies = staff_client.get("/workers/import/?kind=company").content.decode()
    assert "checked" in radio(companies, "company")


@pytest.mark.django_db
def test_it_labels_each_previewed_row_and_each_column_choice(client, staff, organization):
    sign_in(client, staff)
    response = _upload(client, ["氏名,フリガナ,血液型", "山田 太郎,ヤマダ タロウ,A"])
    page = client.get(response["Location"]).content.decode()
    assert '<span class="badge ok">新規</span>' in page
    assert '<option value="birth_date">生年月日</option>' in page
    assert '<option value="company_ccus_id">所属事業者ID</option>' in page


@pytest.mark.django_db
def test_it_previews_then_imports_only_on_confirmation(client, staff, organization):
    sign_in(client, staff)
    response = _upload(
        client,
        ["氏名,フリガナ,技能者ID", "山田 太郎,ﾔﾏﾀﾞ,12345678901234", "短い,ﾐｼﾞｶｲ,123"],
        encoding="cp932",
    )
    job = ImportJob.objects.get()
    assert response["Location"] == f"/imports/{job.uuid}/preview/"
    preview = client.get(response["Location"])
    assert preview.context["counts"] == ONE_NEW_ONE_ERROR
    assert "3桁です。14桁の数字を入力してください。" in preview.content.decode()
    assert "12345678901234" not in preview.content.decode()
    assert Worker.objects.count() == 0
    errors = client.get(f"/imports/{job.uuid}/errors/").content.decode("utf-8")
    assert errors.startswith("\ufeff") and "短い" in errors and "3桁です" in errors
    client.post(f"/imports/{job.uuid}/confirm/")
    assert list(Worker.objects.values_list("name", "name_kana")) == [("山田 太郎", "ヤマダ")]
    job.refresh_from_db()
    assert job.status == "done" and job.counts == {"new": 1, "error": 1} and job.content is None
    assert AuditEvent.objects.filter(action="roster.import").exists()


@pytest.mark.django_db
def test_it_refuses_a_file_it_cannot_read_and_keeps_nothing(client, staff):
    sign_in(client, staff)
    response = client.post(
        "/workers/import/", {"file": SimpleUploadedFile("r.xlsx", b"not a workbook")}
    )
    assert response.status_code == 200
    assert "Excel" in response.content.decode()
    assert ImportJob.objects.count() == 0


@pytest.mark.django_db
def test_it_remembers_columns_mapped_by_hand(client, staff, organization):
    sign_in(client, staff)
    _upload(client, ["作業員名,番号", "佐藤 一,12345678901234"])
    job = ImportJob.objects.get()
    client.post(f"/imports/{job.uuid}/mapping/", {"map:作業員名": "name", "map:番号": "ccus_id"})
    preview = client.get(f"/imports/{job.uuid}/preview/")
    assert preview.context["counts"]["new"] == 1
    assert ImportMapping.objects.filter(organization=organization).count() == 2


@pytest.mark.django_db
def test_it_imports_a_large_file_in_the_background(
    client, staff, organization, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(jobs, "INLINE_ROWS", 5)
    monkeypatch.setattr("ccus.rosters.views.INLINE_ROWS", 5)
    sign_in(client, staff)
    _upload(client, ["氏名,技能者ID"] + [f"技能者{n},{n:014d}" for n in range(1, 21)])
    job = ImportJob.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/imports/{job.uuid}/confirm/")
    status = client.get(f"/imports/{job.uuid}/?format=json").json()
    assert status == {"status": "done", "progress": 100, "counts": {"new": 20}}
    assert Worker.objects.count() == 20


@pytest.mark.django_db
def test_it_keeps_viewers_out_of_imports(client, viewer):
    sign_in(client, viewer)
    assert client.get("/workers/import/").status_code == 403


@pytest.mark.django_db
def test_it_exports_masked_ids_to_staff_and_full_ids_to_owners(client, staff, owner, organization):
    make_secret_worker(organization)
    sign_in(client, staff)
    body = client.get("/workers/export/").content.decode()
    assert "•••• •••• ••12 34" in body and SECRETS["ccus_id"] not in body
    assert leaked(body, {name: value for name, value in SECRETS.items() if name != "ccus_id"}) == []
    client.logout()
    sign_in(client, owner)
    sheet = load_workbook(io.BytesIO(client.get("/workers/export/?format=xlsx").content)).active
    first_row = next(sheet.iter_rows(min_row=2, values_only=True))
    assert first_row[2] == SECRETS["ccus_id"]
    assert AuditEvent.objects.filter(action="roster.export").count() == 2


@pytest.mark.django_db
def test_it_asks_an_owner_to_confirm_it_is_them_before_exporting_full_ids(
    client, owner, organization
):
    make_secret_worker(organization)
    sign_in(client, owner, reauthenticated=False)
    response = client.get("/workers/export/?format=xlsx")
    assert response.status_code == 302
    assert response["Location"] == "/account/confirm/?next=%2Fworkers%2F"
    assert leaked(response.content.decode()) == []
    assert not AuditEvent.objects.filter(action="roster.export").exists()
    client.post("/account/confirm/", {"secret": "correct-horse-battery", "next": "/workers/"})
    sheet = load_workbook(io.BytesIO(client.get("/workers/export/?format=xlsx").content)).active
    assert next(sheet.iter_rows(min_row=2, values_only=True))[2] == SECRETS["ccus_id"]
    assert AuditEvent.objects.filter(action="roster.export").count() == 1


@pytest.mark.django_db
def test_it_exports_masked_ids_to_staff_without_asking_again(client, staff, organization):
    make_secret_worker(organization)
    sign_in(client, staff, reauthenticated=False)
    body = client.get("/workers/export/").content.decode()
    assert "•••• •••• ••12 34" in body and leaked(body) == []


@pytest.mark.django_db
def test_it_changes_nothing_when_an_export_is_imported_again(client, owner, organization):
    import datetime

    make_worker(
        organization,
        name="往復 一郎",
        name_kana="オウフク",
        ccus_id="11112222333344",
        card_expires_on=datetime.date(2030, 4, 1),
        level=2,
    )
    make_worker(organization, name="往復 二郎", name_kana="オウフク ジ", ccus_id="11112222333355")
    before = list(
        Worker.objects.order_by("id").values(
            "name", "name_kana", "ccus_id_index", "card_expires_on", "level", "status"
        )
    )
    sign_in(client, owner)
    exported = client.get("/workers/export/?format=xlsx").content
    client.post("/workers/import/", {"file": SimpleUploadedFile("back.xlsx", exported)})
    job = ImportJob.objects.get()
    preview = client.get(f"/imports/{job.uuid}/preview/")
    counts = {"new": 0, "update": 0, "unchanged": 2, "duplicate": 0, "error": 0}
    assert preview.context["counts"] == counts
    client.post(f"/imports/{job.uuid}/confirm/")
    after = list(
        Worker.objects.order_by("id").values(
            "name", "name_kana", "ccus_id_index", "card_expires_on", "level", "status"
        )
    )
    assert after == before


@pytest.mark.django_db
def test_it_gives_owners_a_passphrase_locked_backup_with_secrets(
    client, owner, organization, other_organization
):
    import pyzipper

    make_secret_worker(organization)
    make_worker(other_organization, name="よその人", ccus_id="99990000111122")
    sign_in(client, owner)
    response = client.post(
        "/backup/", {"passphrase": "long-enough-phrase", "passphrase_again": "long-enough-phrase"}
    )
    assert response["Content-Type"] == "application/zip"
    assert "no-store" in response["Cache-Control"]
    assert leaked(response.content.decode("latin-1")) == []
    with pyzipper.AESZipFile(io.BytesIO(response.content)) as archive:
        archive.setpassword(b"long-enough-phrase")
        workers = archive.read("workers.csv").decode("utf-8-sig")
    for value in SECRETS.values():
        assert value in workers
    assert "よその人" not in workers
    event = AuditEvent.objects.get(action="backup.export")
    assert event.details == {"companies": 0, "workers": 1, "unreadable": 0}


@pytest.mark.django_db
def test_it_asks_owners_to_confirm_and_keeps_others_out_of_backups(client, owner, admin_member):
    sign_in(client, owner, reauthenticated=False)
    assert client.get("/backup/")["Location"].startswith("/account/confirm/")
    response = client.post("/backup/", {"passphrase": "short", "passphrase_again": "short"})
    assert response.status_code == 302
    client.logout()
    sign_in(client, admin_member)
    assert client.get("/backup/").status_code == 403


@pytest.mark.django_db
def test_it_refuses_a_short_or_mistyped_passphrase_and_keeps_the_form(client, owner):
    sign_in(client, owner)
    response = client.post(
        "/backup/", {"passphrase": "long-enough-phrase", "passphrase_again": "long-enough-phrasE"}
    )
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert not AuditEvent.objects.filter(action="backup.export").exists()


@pytest.mark.django_db
def test_it_imports_businesses_too(client, staff, organization):
    from ccus.accounts.models import Company

    sign_in(client, staff)
    data = (
        "事業者名,事業者ID,登録責任者,所在地,登録有効期限\r\n"
        "協力建設,11112222333344,山田 花子,東京都千代田区1-1,令和10年3月31日\r\n"
        "不完全,1234,,,\r\n"
    ).encode("cp932")
    client.post(
        "/workers/import/", {"kind": "company", "file": SimpleUploadedFile("companies.csv", data)}
    )
    job = ImportJob.objects.get()
    preview = client.get(f"/imports/{job.uuid}/preview/")
    assert preview.context["counts"] == ONE_NEW_ONE_ERROR
    client.post(f"/imports/{job.uuid}/confirm/")
    company = Company.objects.get()
    assert (company.name, company.responsible_person, company.ccus_id) == (
        "協力建設",
        "山田 花子",
        "11112222333344",
    )
    assert str(company.registration_expires_on) == "2028-03-31"
    assert company.address == "東京都千代田区1-1" and Company.objects.count() == 1


@pytest.mark.django_db
def test_it_previews_every_row_page_by_page_and_by_result(client, staff, organization):
    sign_in(client, staff)
    _upload(
        client, ["氏名,技能者ID"] + [f"技能者{n},{n:014d}" for n in range(1, 651)] + ["誤り,123"]
    )
    job = ImportJob.objects.get()
    last = client.get(f"/imports/{job.uuid}/preview/?page=3")
    assert [r.number for r in last.context["page"]][-1] == 652
    errors = client.get(f"/imports/{job.uuid}/preview/?show=error").context["page"]
    assert [r.number for r in errors] == [652]
