"""Every list, filter, search and rollup of the console reads through an index at 100,000 rows.

The rows are written once for the module with INSERT … SELECT generate_series and analysed, then
each test asks PostgreSQL for the plan of the very query the page runs (the queryset itself, or the
SQL captured while the real code runs) and looks for the index it is meant to use.
"""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ccus.accounts.models import Company, Worker
from ccus.accounts.selectors import account_list
from ccus.oversight.models import Engagement, Site
from ccus.oversight.rollup import readiness_figures, roster, visible_subcontractors
from ccus.reminders.digests import claim, stale
from tests.factories import make_company, make_organization, make_user, make_worker
from vault.audit.views import filtered_events
from vault.crypto.firm_keys import firm_keys_destroy

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

ROWS = 100_000
FIRMS = 40
# The firm whose pages are read: a big one, a tenth of all the rows.
BIG_SHARE = 10
SUBCONTRACTORS = 4
SURNAMES = ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤"]
READINGS = ["サトウ", "スズキ", "タカハシ", "タナカ", "イトウ", "ワタナベ", "ヤマモト", "ナカムラ",
            "コバヤシ", "カトウ"]  # fmt: skip
GIVEN = ["健", "翔", "大輔", "誠", "浩", "剛", "隆", "修"]
GIVEN_READINGS = ["ケン", "ショウ", "ダイスケ", "マコト", "ヒロシ", "ツヨシ", "タカシ", "オサム"]


# The firm of row i: every BIG_SHARE-th row in the big firm, the others in turn.
FIRM = """CASE WHEN mod(i, %(share)s) = 0 THEN %(big)s
              ELSE (%(others)s::bigint[])[1 + mod(i, %(n_others)s)] END"""


def _accounts_sql(table: str, extra_columns: str, extra_values: str) -> str:
    """INSERT … SELECT of ROWS accounts: a tenth in the big firm, the rest spread over the others.

    Names repeat as they do in a real firm; 2% lack an ID, 5% an email, 1% are in the trash.
    """
    return f"""
        INSERT INTO {table} (uuid, organization_id, name, name_kana, search_text, ccus_id_last4,
            ccus_id_index, ccus_id_index_new, email_index, email_index_new, hint_is_code,
            last_confirmed_at, created_at, updated_at, deleted_at {extra_columns})
        SELECT gen_random_uuid(),
            {FIRM},
            s.surname || ' ' || s.given, s.reading || ' ' || s.given_reading,
            s.surname || s.given || '|' || s.reading || s.given_reading,
            lpad((mod(i, 10000))::text, 4, '0'),
            CASE WHEN mod(i, 50) = 1 THEN NULL ELSE md5('id' || i) END,
            CASE WHEN mod(i, 50) = 1 THEN NULL ELSE md5('id-new' || i) END,
            CASE WHEN mod(i, 20) = 2 THEN NULL ELSE md5('email' || i) END,
            CASE WHEN mod(i, 20) = 2 THEN NULL ELSE md5('email-new' || i) END,
            mod(i, 200) = 3,
            CASE WHEN mod(i, 100) = 4 THEN NULL ELSE now() - mod(i * 7, 200) * interval '1 day' END,
            now(), now() - (mod(i, 1000)) * interval '1 hour',
            CASE WHEN mod(i, 100) = 5 THEN now() END
            {extra_values}
        FROM generate_series(1, {ROWS}) AS i,
        LATERAL (SELECT (%(surnames)s::text[])[1 + mod(i, 10)] AS surname,
                        (%(given)s::text[])[1 + mod(i / 10, 8)] AS given,
                        (%(readings)s::text[])[1 + mod(i, 10)] AS reading,
                        (%(given_readings)s::text[])[1 + mod(i / 10, 8)] AS given_reading) AS s
    """  # noqa: S608


def _seed(big, others, user) -> None:
    params = {
        "share": BIG_SHARE, "big": big.id, "others": [o.id for o in others],
        "n_others": len(others), "surnames": SURNAMES, "given": GIVEN, "readings": READINGS,
        "given_readings": GIVEN_READINGS,
    }  # fmt: skip
    # Cards and registrations are renewed: most expire over the next five years, 1% have expired.
    expires = "current_date + (mod(i * 37, 1825) - 18)"
    with connection.cursor() as cursor:
        cursor.execute(
            _accounts_sql("ccus_company", ", responsible_person, registration_expires_on",
                          f", '', {expires}"),
            params,
        )  # fmt: skip
        cursor.execute(
            _accounts_sql("ccus_worker", ", status, card_expires_on",
                          f", CASE WHEN mod(i, 10) = 6 THEN 'left' ELSE 'active' END, {expires}"),
            params,
        )  # fmt: skip
        cursor.execute(
            f"""
            INSERT INTO vault_auditevent (uuid, organization_id, actor_id, action, target_type,
                target_label, field, details, user_agent, created_at)
            SELECT gen_random_uuid(),
                {FIRM},
                %(user)s, (ARRAY['worker.view', 'worker.update', 'secret.reveal'])[1 + mod(i, 3)],
                'worker', '技能者' || i, '', '{{}}', '', now() - i * interval '1 minute'
            FROM generate_series(1, %(rows)s) AS i
            """,  # noqa: S608
            {**params, "user": user.id, "rows": ROWS},
        )
        cursor.execute(
            f"""
            INSERT INTO ccus_reminderdelivery (uuid, key, organization_id, recipient_id, kind,
                subject_type, subject_uuid, subject_label, due_on, period, status, attempts,
                last_error, created_at, sent_at)
            SELECT gen_random_uuid(), 'key' || i,
                {FIRM},
                %(user)s,
                CASE WHEN mod(i, 50) = 0 THEN 'escalation' ELSE 'card_expiry' END, 'worker',
                gen_random_uuid(), '技能者' || i, NULL, 'p',
                CASE WHEN mod(i, 500) = 0 THEN 'pending' ELSE 'sent' END, 1, '',
                now() - i * interval '1 minute',
                CASE WHEN mod(i, 500) = 0 THEN NULL ELSE now() - i * interval '1 minute' END
            FROM generate_series(1, %(rows)s) AS i
            """,  # noqa: S608
            {**params, "user": user.id, "rows": ROWS},
        )


# Nothing else is in these tables while the module runs: each test's rows are rolled back.
SEEDED = ["ccus_site_workers", "ccus_site_engagements", "ccus_site", "ccus_engagement",
          "vault_auditevent", "ccus_reminderdelivery", "ccus_worker", "ccus_company"]  # fmt: skip


@pytest.fixture(scope="module")
def firms(django_db_setup, django_db_blocker):
    """The big firm, its prime and a site, over 100,000 rows of each kind; removed afterwards."""
    with django_db_blocker.unblock():
        big = make_organization("大手協力会社")
        others = [make_organization(f"協力会社{n}") for n in range(FIRMS - 1)]
        prime = make_organization("元請建設")
        user = make_user()
        _seed(big, others, user)
        # A few rows written the usual way, so the search below has something exact to find.
        company = make_company(big, name="検索 事業者", name_kana="ケンサク ジギョウシャ")
        make_worker(big, name="検索 太郎", name_kana="ケンサク タロウ",
                    ccus_id="12345678901234", company=company)  # fmt: skip
        # The prime looks over a few of the small firms, as a prime does among all the firms.
        for firm in others[:SUBCONTRACTORS]:
            Engagement.objects.create(prime=prime, subcontractor=firm,
                                      status=Engagement.Status.ACTIVE)  # fmt: skip
        site = Site.objects.create(organization=prime, name="本社ビル新築", site_code="S1")
        site.engagements.set(Engagement.objects.filter(prime=prime))
        workers = Worker.objects.filter(organization__in=others[:SUBCONTRACTORS])
        site.workers.set(workers.order_by("id")[:500])
        _seed_sites(others[-1])
        with connection.cursor() as cursor:
            # As autovacuum leaves a table in use: statistics, no dead rows of an earlier run.
            cursor.execute(f"VACUUM ANALYZE {', '.join(SEEDED)}")
        try:
            yield {"big": big, "small": others[0], "prime": prime, "site": site, "user": user}
        finally:
            with connection.cursor() as cursor:
                cursor.execute(f"TRUNCATE {', '.join(SEEDED)} CASCADE")
            for firm in [big, prime, *others]:
                firm_keys_destroy(organization_uuid=firm.uuid)  # not removed with the firm's row
                firm.delete()
            user.delete()


def _seed_sites(organization) -> None:
    """Another prime's 200 sites, each worker on one of them: the roster table at full size."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO ccus_site (uuid, organization_id, name, address, site_code, created_at)
            SELECT gen_random_uuid(), %s, '現場' || n, '', '', now() FROM generate_series(1, 200) n
            """,
            [organization.id],
        )
        cursor.execute(
            """
            INSERT INTO ccus_site_workers (site_id, worker_id)
            SELECT sites.ids[1 + mod(w.id, 200)::int], w.id FROM ccus_worker w,
                (SELECT array_agg(id) AS ids FROM ccus_site WHERE organization_id = %s) sites
            """,
            [organization.id],
        )


def _plan(sql: str, params=()) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def plan_of(queryset) -> str:
    """Return the plan of the SQL the queryset runs (as the page runs it)."""
    sql, params = queryset.query.sql_with_params()
    return _plan(sql, params)


def plans_while(run, table: str) -> list[str]:
    """Run the real code and return the plan of each query it sent that reads from table."""
    with CaptureQueriesContext(connection) as captured:
        run()
    # The table read or updated (quoted by the ORM, bare in hand-written SQL), not a subquery's.
    reads = re.compile(rf'\b(FROM|JOIN|UPDATE) "?{table}"?\s')
    queries = [
        q["sql"] for q in captured.captured_queries if reads.search(q["sql"].split(" WHERE ")[0])
    ]
    assert queries, f"nothing read {table}"
    return [_plan(sql) for sql in queries]


BIG_TABLES = ["ccus_worker", "ccus_company", "vault_auditevent", "ccus_reminderdelivery",
              "ccus_site_workers"]  # fmt: skip


def uses(plan: str, index: str) -> bool:
    """Whether the plan reads through the named index, and scans no big table row by row."""
    through = re.search(
        rf"(Index Scan|Index Only Scan|Bitmap Index Scan)( Backward)? (using|on) {index}\b", plan
    )
    return bool(through) and not re.search(rf"Seq Scan on ({'|'.join(BIG_TABLES)})\b", plan)


KINDS = [(Worker, "worker"), (Company, "company")]
# The index each named filter may read through besides the list's own.
FILTERS = {
    "missing_id": "{kind}_unique_id_per_org",
    "missing_email": "{kind}_email_idx",
    "unconfirmed": "{kind}_list_idx",
    "expiring": "{kind}_expiry_idx",
    "expired": "{kind}_expiry_idx",
    "shared_email": "{kind}_new_email_idx|ccus_{kind}_organization_id_\\w+",
    "hint_is_code": "ccus_{kind}_organization_id_\\w+",
}


@pytest.mark.parametrize(("model", "kind"), KINDS)
def test_the_list_page_reads_one_firm_in_its_order(firms, model, kind):
    plan = plan_of(account_list(model, firms["big"])[:50])
    assert uses(plan, f"{kind}_list_idx"), plan
    assert "Sort" not in plan.split(f"{kind}_list_idx")[0], plan


def test_the_status_filter_reads_the_list_index(firms):
    plan = plan_of(account_list(Worker, firms["big"], status="left")[:50])
    assert uses(plan, "worker_list_idx"), plan


@pytest.mark.parametrize(("model", "kind"), KINDS)
@pytest.mark.parametrize("name", FILTERS)
def test_each_problem_filter_reads_through_an_index(firms, model, kind, name):
    plan = plan_of(account_list(model, firms["big"], filter_name=name)[:50])
    # Or along the page's order, stopping at the page's end: which is cheaper depends on counts.
    assert uses(plan, f"({FILTERS[name].format(kind=kind)}|{kind}_list_idx)"), plan


@pytest.mark.parametrize(("model", "kind"), KINDS)
def test_a_name_or_reading_is_found_through_the_trigram_indexes(firms, model, kind):
    # Six rows: the quick search under the box shows five and whether there are more.
    plan = plan_of(account_list(model, firms["big"], query="けんさく")[:6])
    assert uses(plan, f"{kind}_search_trgm"), plan
    assert uses(plan, f"{kind}_name_trgm"), plan


@pytest.mark.parametrize(("model", "kind"), KINDS)
def test_a_full_id_is_found_through_its_blind_index(firms, model, kind):
    plan = plan_of(account_list(model, firms["big"], query="1234-5678-9012-34")[:6])
    assert uses(plan, f"{kind}_unique_id_per_org"), plan
    assert uses(plan, f"{kind}_unique_new_id"), plan


@pytest.mark.parametrize(("model", "kind"), KINDS)
@pytest.mark.parametrize("query", ["1234", "さとう", "検索"])
def test_last_digits_and_common_names_read_one_firm_through_an_index(firms, model, kind, query):
    # Common matches are met early along the page's order; a word under three characters has
    # no trigram and is read through the firm's rows.
    plan = plan_of(account_list(model, firms["big"], query=query)[:6])
    expected = (
        f"({kind}_list_idx|{kind}_last4_idx|{kind}_search_trgm|ccus_{kind}_organization_id_\\w+)"
    )
    assert uses(plan, expected), plan


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"action": "secret.reveal"},
        {"since": datetime.date.today() - datetime.timedelta(3)},
        {"until": datetime.date.today() - datetime.timedelta(30)},
    ],
    ids=["all", "action", "since", "until"],
)
def test_the_audit_log_reads_a_firm_newest_first(firms, data):
    plan = plan_of(filtered_events(firms["small"], data)[:50])
    # The planner may walk the time of all firms' events instead, by its statistics of the day:
    # an index either way, never a scan of the whole table.
    assert uses(plan, r"(audit_org_recent_idx|vault_auditevent_created_at_\w+)"), plan


def test_the_rollup_reads_only_the_subcontractors_rows(firms):
    visible = visible_subcontractors(firms["prime"])
    assert len(visible) == SUBCONTRACTORS
    figures = lambda: readiness_figures([v.firm for v in visible])  # noqa: E731
    expected = {
        "ccus_worker": r"(ccus_worker_organization_id_\w+|worker_status_idx|worker_list_idx)",
        "ccus_company": r"(ccus_company_organization_id_\w+|company_list_idx)",
        "ccus_reminderdelivery": "delivery_escalation_idx",
    }
    for table, index in expected.items():
        for plan in plans_while(figures, table):
            assert uses(plan, index), plan


def test_the_site_roster_reads_the_site_s_workers_only(firms):
    visible = visible_subcontractors(firms["prime"])
    (plan,) = plans_while(lambda: list(roster(visible, firms["site"])), "ccus_worker")
    assert uses(plan, r"ccus_site_workers_site_id_\w+"), plan
    assert uses(plan, "ccus_worker_pkey"), plan


def test_reminders_waiting_are_found_through_their_status(firms):
    now = timezone.now()
    run = lambda: stale(claimed_before=now, pending_before=now)  # noqa: E731
    for plan in plans_while(run, "ccus_reminderdelivery"):
        assert uses(plan, "delivery_status_claimed"), plan
    for plan in plans_while(lambda: claim(firms["user"].id), "ccus_reminderdelivery"):
        assert uses(plan, r"(delivery_recipient_status|ccus_reminderdelivery_digest_\w+)"), plan
