"""Every file the vault writes survives Excel: all digits kept, no cell run as a formula."""

import csv
import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from ccus.accounts.models import Worker
from ccus.rosters.models import ImportJob
from tests.factories import make_company, make_worker
from vault.spreadsheets import safe_cell, unsafe_cell

FORMULAS = ["=HYPERLINK(\"http://evil.example\")", "+81-3-1234", "-1+1", "@SUM(A1)", "\tTAB",
            "\rCR", "'quoted"]  # fmt: skip


def _table(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))


@pytest.mark.django_db
def test_it_writes_no_bare_long_number_and_imports_its_own_csv_unchanged(
    owner_client, organization
):
    company = make_company(organization, name="協力建設", ccus_id="99998888777766")
    make_worker(organization, name="往復 一郎", name_kana="オウフク イチロウ",
                ccus_id="01234567890123", card_expires_on=datetime.date(2030, 4, 1), level=2,
                company=company)  # fmt: skip
    make_worker(organization, name="往復 二郎", ccus_id="11112222333355")
    before = list(Worker.objects.order_by("id").values())
    exported = owner_client.get("/workers/export/")
    table = _table(exported)
    cells = [cell for row in table for cell in row]
    assert not [cell for cell in cells if re.fullmatch(r"[0-9]{12,}", cell)]
    assert "0123-4567-8901-23" in cells and "1111-2222-3333-55" in cells
    owner_client.post(
        "/workers/import/", {"file": SimpleUploadedFile("roster.csv", exported.content)}
    )
    job = ImportJob.objects.get()
    preview = owner_client.get(f"/imports/{job.uuid}/preview/")
    assert preview.context["counts"]["unchanged"] == 2 and preview.context["counts"]["error"] == 0
    owner_client.post(f"/imports/{job.uuid}/confirm/")
    assert list(Worker.objects.order_by("id").values()) == before


@pytest.mark.django_db
def test_it_offers_the_excel_file_first(owner_client):
    body = owner_client.get("/workers/").content.decode()
    assert body.index("/workers/export/?format=xlsx") < body.index('/workers/export/"')


@pytest.mark.parametrize("value", FORMULAS)
def test_it_neutralises_a_cell_that_starts_a_formula_and_undoes_it_exactly(value):
    assert safe_cell(value) == "'" + value
    assert unsafe_cell(safe_cell(value)) == value


@pytest.mark.parametrize("value", ["山田", "12345", "2027-03-31", "a=b", "", 42, None])
def test_it_leaves_other_cells_alone(value):
    assert safe_cell(value) == value


@pytest.mark.django_db
def test_it_neutralises_formulas_in_both_exports(owner_client, organization):
    for name in FORMULAS:
        make_worker(organization, name=name)
    names = {row[0] for row in _table(owner_client.get("/workers/export/"))[1:]}
    assert names == {"'" + name for name in FORMULAS}
    sheet = load_workbook(io.BytesIO(owner_client.get("/workers/export/?format=xlsx").content))
    in_xlsx = {row[0] for row in sheet.active.iter_rows(min_row=2, values_only=True)}
    # XML reads a carriage return back as a line feed.
    assert in_xlsx == {name.replace("\r", "\n") for name in names}


@pytest.mark.django_db
def test_it_neutralises_formulas_in_the_audit_log(owner_client, organization):
    worker = make_worker(organization, name="=cmd|' /C calc'!A0")
    owner_client.post(f"/workers/{worker.uuid}/reveal/", {"field": "password"})
    table = _table(owner_client.get("/firm/audit/?format=csv"))
    records = [row[3] for row in table[1:]]
    assert "'=cmd|' /C calc'!A0" in records
    assert not [cell for row in table for cell in row if cell[:1] in ("=", "+", "-", "@")]


@pytest.mark.django_db
def test_it_neutralises_formulas_in_the_error_file_and_names_it_once(owner_client):
    data = "氏名,技能者ID\r\n=1+1,123\r\n@SUM(A1),12345678901234\r\n".encode()
    owner_client.post("/workers/import/", {"file": SimpleUploadedFile("名簿.csv", data)})
    job = ImportJob.objects.get()
    response = owner_client.get(f"/imports/{job.uuid}/errors/")
    disposition = "attachment; filename*=utf-8''errors-%E5%90%8D%E7%B0%BF.csv"
    assert response["Content-Disposition"] == disposition
    table = _table(response)
    assert [row[1] for row in table[1:]] == ["'=1+1"]
    assert Worker.objects.count() == 0
