"""Counts and rows are computed once per version of a firm's accounts, and never go stale."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ccus.accounts.models import Worker
from ccus.accounts.services import accounts_confirm, worker_mark_left
from ccus.rosters.importer import roster_import
from ccus.rosters.read import read_roster
from ccus.rosters.rows import check_rows, map_headers
from tests.console import sign_in
from tests.factories import make_worker

pytestmark = pytest.mark.django_db


def _sql(client, path: str) -> tuple[str, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return response.content.decode(), " ".join(q["sql"] for q in queries)


def test_it_counts_the_dashboard_once_until_an_account_changes(client, staff, organization):
    make_worker(organization, name="一人目")
    sign_in(client, staff)
    _page, first = _sql(client, "/")
    _page, second = _sql(client, "/")
    assert "FILTER" in first or "CASE WHEN" in first  # the aggregate query
    assert "ccus_worker" not in second
    assert client.post("/workers/new/", {"name": "二人目", "status": "active"}).status_code == 302
    _page, third = _sql(client, "/")
    assert "ccus_worker" in third


def test_it_shows_the_new_counts_right_after_each_kind_of_change(client, staff, organization):
    sign_in(client, staff)
    worker = make_worker(organization, name="在籍者")
    client.get("/")
    response = client.get("/workers/?filter=missing_id")
    assert response.context["page"].paginator.count == 1
    worker_mark_left(worker=worker, left_on=worker.created_at.date(), actor=staff)
    assert client.get("/").context["sections"][1][2]["total"] == 0
    sheet = read_roster("氏名,技能者ID\r\n取込 花子,12345678901234\r\n".encode(), "r.csv")
    rows = check_rows(organization, sheet, map_headers(sheet.header))
    roster_import(organization=organization, results=rows, actor=staff, request=None)
    assert client.get("/").context["sections"][1][2]["total"] == 1
    # The worker who left is out of scope, the imported one has an ID.
    assert client.get("/workers/?filter=missing_id").context["page"].paginator.count == 0
    assert client.get("/").context["sections"][1][2]["unconfirmed"] == 0  # an import confirms
    with time_machine.travel(timezone.now() - datetime.timedelta(days=400)):
        make_worker(organization, name="未確認")  # confirmed when added, long ago
    assert client.get("/").context["sections"][1][2]["unconfirmed"] == 1
    accounts_confirm(accounts=Worker.objects.filter(name="未確認"), actor=staff)
    assert client.get("/").context["sections"][1][2]["unconfirmed"] == 0


def test_it_renders_the_rows_of_a_list_page_once_until_an_account_changes(
    client, staff, organization
):
    make_worker(organization, name="山田 太郎")
    sign_in(client, staff)
    _page, first = _sql(client, "/workers/")
    page, second = _sql(client, "/workers/")
    assert "ccus_worker" in first and "ccus_worker" not in second
    assert "山田 太郎" in page
    client.post("/workers/new/", {"name": "鈴木 花子", "status": "active"})
    page, third = _sql(client, "/workers/")
    assert "鈴木 花子" in page and "ccus_worker" in third


def test_it_keeps_rows_apart_by_search_page_role_and_language(client, staff, viewer, organization):
    make_worker(organization, name="山田 太郎")
    make_worker(organization, name="佐藤 次郎")
    sign_in(client, staff)
    assert "佐藤 次郎" not in client.get("/workers/?q=山田").content.decode()
    assert 'name="accounts"' in client.get("/workers/").content.decode()
    sign_in(client, viewer)
    assert 'name="accounts"' not in client.get("/workers/").content.decode()
    client.post("/language/", {"language": "en", "next": "/workers/"})
    assert "Card expires" in client.get("/workers/").content.decode()
