"""The prime contractor's oversight: only engaged firms, only what they share, nothing after."""

import base64

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ccus.accounts.models import Company, Worker
from ccus.oversight.engagements import engagement_answer, engagement_end, engagement_invite
from ccus.oversight.models import Engagement, Site
from tests.console import sign_in
from tests.factories import (
    SECRETS,
    leaked,
    make_company,
    make_member,
    make_organization,
    make_secret_worker,
)
from vault.audit.models import AuditEvent
from vault.crypto.fields import encrypted_fields
from vault.firms.models import Organization


def engage(prime, sub, prime_owner, sub_owner, *, sharing="status", pass_up=False):
    engagement = engagement_invite(prime=prime, subcontractor=sub, actor=prime_owner, request=None)
    return engagement_answer(
        engagement=engagement,
        accept=True,
        sharing=sharing,
        pass_up=pass_up,
        actor=sub_owner,
        request=None,
    )


@pytest.fixture
def sub(organization, owner):
    organization.owner = owner
    make_company(
        organization,
        name="協力建設",
        ccus_id="55556666777788",
        registered_email="office@sub.example.jp",
        password="company-secret-pw",
    )
    make_secret_worker(organization)
    return organization


def _ciphertexts() -> list[bytes]:
    """Read every stored token of every encrypted column, raw, as the database holds it."""
    tokens = []
    for model in (Worker, Company):
        columns = [f.column for f in encrypted_fields(model)]
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {', '.join(columns)} FROM {model._meta.db_table}")  # noqa: S608
            tokens += [bytes(t) for row in cursor.fetchall() for t in row if t is not None]
    assert tokens
    return tokens


def _assert_no_secret_or_ciphertext(body: str) -> None:
    assert leaked(body) == []
    assert "company-secret-pw" not in body and "office@sub.example.jp" not in body
    for token in _ciphertexts():
        for form in (
            token.hex(),
            base64.b64encode(token).decode(),
            base64.urlsafe_b64encode(token).decode(),
        ):
            assert form[:24] not in body


@pytest.mark.django_db
def test_it_shows_a_prime_only_engaged_firms_and_only_what_they_share(client, prime, sub):
    other = make_organization("関係ない会社")
    make_secret_worker(other, ccus_id="99998888777766")
    engagement = engage(prime, sub, prime.owner, sub.owner)
    sign_in(client, prime.owner)
    page = client.get("/oversight/")
    rows = page.context["rows"]
    assert [v.firm for v in rows] == [sub]
    assert rows[0].stats["workers"] == 1 and rows[0].stats["with_id"] == 1
    _assert_no_secret_or_ciphertext(page.content.decode())
    detail = client.get(f"/oversight/{engagement.uuid}/")
    body = detail.content.decode()
    assert "秘密 太郎" in body and "•••• •••• ••12 34" in body
    _assert_no_secret_or_ciphertext(body)


@pytest.mark.django_db
def test_it_shows_full_ids_only_when_shared(client, prime, sub):
    engagement = engage(prime, sub, prime.owner, sub.owner, sharing="status_ids")
    sign_in(client, prime.owner)
    body = client.get(f"/oversight/{engagement.uuid}/").content.decode()
    assert SECRETS["ccus_id"] in body
    assert leaked(body, {k: v for k, v in SECRETS.items() if k != "ccus_id"}) == []


@pytest.mark.django_db
def test_it_hides_everything_once_the_engagement_ends(client, prime, sub):
    engagement = engage(prime, sub, prime.owner, sub.owner)
    engagement_end(engagement=engagement, actor=sub.owner, request=None)
    sign_in(client, prime.owner)
    assert client.get("/oversight/").context["rows"] == []
    assert client.get(f"/oversight/{engagement.uuid}/").status_code == 404
    actions = set(AuditEvent.objects.filter(organization=prime).values_list("action", flat=True))
    assert {"engagement.invite", "engagement.accept", "engagement.end"} <= actions
    assert AuditEvent.objects.filter(organization=sub, action="engagement.end").exists()


@pytest.mark.django_db
def test_it_shows_nothing_before_the_subcontractor_accepts(client, prime, sub):
    engagement_invite(prime=prime, subcontractor=sub, actor=prime.owner, request=None)
    sign_in(client, prime.owner)
    assert client.get("/oversight/").context["rows"] == []


@pytest.mark.django_db
def test_it_never_shows_a_subcontractor_the_primes_other_subcontractors(client, prime, sub):
    second = make_organization("別の協力会社")
    second.owner = make_member(second, "owner")
    engage(prime, sub, prime.owner, sub.owner)
    second_engagement = engage(prime, second, prime.owner, second.owner)
    sign_in(client, sub.owner)
    assert client.get("/oversight/").context["rows"] == []
    assert client.get(f"/oversight/{second_engagement.uuid}/").status_code == 404
    assert "別の協力会社" not in client.get("/engagements/").content.decode()


@pytest.mark.django_db
def test_it_shows_the_chain_where_each_tier_passes_its_status_up(client, prime, sub):
    second_tier = make_organization("二次下請")
    second_tier.owner = make_member(second_tier, "owner")
    third_tier = make_organization("三次下請")
    third_tier.owner = make_member(third_tier, "owner")
    engage(prime, sub, prime.owner, sub.owner)
    engage(sub, second_tier, sub.owner, second_tier.owner, pass_up=True, sharing="status_ids")
    engage(second_tier, third_tier, second_tier.owner, third_tier.owner, pass_up=False)
    sign_in(client, prime.owner)
    rows = {v.firm.name: v.tier for v in client.get("/oversight/").context["rows"]}
    assert rows == {sub.name: 1, "二次下請": 2}


@pytest.mark.django_db
def test_it_lets_a_subcontractor_owner_accept_from_the_page(client, prime, sub):
    engagement = engagement_invite(prime=prime, subcontractor=sub, actor=prime.owner, request=None)
    sign_in(client, sub.owner)
    client.post(
        f"/engagements/{engagement.uuid}/answer/",
        {"answer": "accept", "sharing": "status_ids", "pass_up": "on"},
    )
    engagement.refresh_from_db()
    assert (engagement.status, engagement.sharing, engagement.pass_up) == (
        "active",
        "status_ids",
        True,
    )


@pytest.mark.django_db
def test_it_invites_by_firm_code_from_the_page(client, prime, sub):
    sign_in(client, prime.owner)
    client.post("/engagements/", {"code": sub.code.lower()})
    assert Engagement.objects.get().subcontractor == sub
    response = client.post("/engagements/", {"code": "ZZZZ-ZZZZ"})
    assert response.context["form"].has_error("code", "unknown_code")
    assert 'value="ZZZZ-ZZZZ"' in response.content.decode()
    assert Engagement.objects.count() == 1


@pytest.mark.django_db
def test_it_rolls_up_per_site_and_warns_of_an_odd_site_id(client, prime, sub):
    engagement = engage(prime, sub, prime.owner, sub.owner)
    other = make_organization("別現場の会社")
    other.owner = make_member(other, "owner")
    engage(prime, other, prime.owner, other.owner)
    sign_in(client, prime.owner)
    response = client.post(
        "/oversight/sites/",
        {"name": "駅前ビル新築", "site_code": "１２３", "engagements": [engagement.pk]},
        follow=True,
    )
    assert any(m.level_tag == "warning" for m in response.context["messages"])
    site = Site.objects.get()
    assert site.site_code == "123"
    rows = client.get(f"/oversight/?site={site.uuid}").context["rows"]
    assert [v.firm for v in rows] == [sub]


@pytest.mark.django_db
def test_it_exports_the_rollup_as_excel_friendly_csv(client, prime, sub):
    engage(prime, sub, prime.owner, sub.owner)
    sign_in(client, prime.owner)
    response = client.get("/oversight/?format=csv")
    assert response.streaming
    body = b"".join(response.streaming_content).decode()
    assert body.startswith("\ufeff") and sub.name in body
    _assert_no_secret_or_ciphertext(body)


def _subcontractors(prime, count: int) -> None:
    start = Organization.objects.count()
    firms = Organization.objects.bulk_create(
        Organization(name=f"協力会社{start + n:04d}") for n in range(count)
    )
    Engagement.objects.bulk_create(
        Engagement(prime=prime, subcontractor=firm, status="active") for firm in firms
    )
    Worker.objects.bulk_create(
        Worker(organization=firm, name=f"技能者{firm.name}") for firm in firms
    )


@pytest.mark.django_db
def test_it_uses_the_same_number_of_queries_for_3_300_or_650_subcontractors(client, prime):
    sign_in(client, prime.owner)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/oversight/?sort=name&page=2").status_code == 200
        return len(captured)

    _subcontractors(prime, 3)
    queries()  # the first request of a session also writes the session
    few = queries()
    _subcontractors(prime, 297)
    assert len(client.get("/oversight/").context["rows"]) == 300
    assert queries() == few
    _subcontractors(prime, 350)
    assert queries() == few
    assert few <= 10, few


@pytest.mark.django_db
def test_it_pages_more_than_300_subcontractors_keeping_the_sort_and_site(client, prime):
    _subcontractors(prime, 305)
    site = Site.objects.create(organization=prime, name="駅前ビル新築")
    site.engagements.set(Engagement.objects.filter(prime=prime))
    sign_in(client, prime.owner)
    first = client.get(f"/oversight/?site={site.uuid}&sort=name")
    names = [v.firm.name for v in first.context["rows"]]
    assert len(names) == 300 and names == sorted(names)
    body = first.content.decode()
    assert "合計: 協力会社 305社、技能者 305人。" in body
    assert "1〜300社目を表示しています。" in body and "2ページ中 1ページ目" in body
    assert f"site={site.uuid}&amp;sort=name&amp;page=2" in body
    second = client.get(f"/oversight/?site={site.uuid}&sort=name&page=2")
    rest = [v.firm.name for v in second.context["rows"]]
    assert len(rest) == 5 and rest[0] > names[-1] and rest == sorted(rest)
    export = b"".join(client.get(f"/oversight/?site={site.uuid}&format=csv").streaming_content)
    assert len(export.decode().splitlines()) == 306
    Engagement.objects.filter(subcontractor__name__gte="協力会社0010").delete()
    assert "合計" not in client.get("/oversight/").content.decode()


@pytest.mark.django_db
def test_it_exports_a_site_roster_as_excel_with_ids_only_where_shared(client, prime, sub):
    import io

    from openpyxl import load_workbook

    masked = make_organization("ID非公開の会社")
    masked.owner = make_member(masked, "owner")
    make_secret_worker(masked, name="伏字 花子", ccus_id="44443333222211")
    shared = engage(prime, sub, prime.owner, sub.owner, sharing="status_ids")
    hidden = engage(prime, masked, prime.owner, masked.owner)
    site = Site.objects.create(organization=prime, name="駅前ビル新築")
    site.engagements.set([shared, hidden])
    site.workers.set(Worker.objects.all())
    sign_in(client, prime.owner)
    response = client.get(f"/oversight/sites/{site.uuid}/roster/?format=xlsx")
    assert response.streaming
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = {row[1]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["秘密 太郎"][3] == SECRETS["ccus_id"]
    assert rows["伏字 花子"][3] == "•••• •••• ••22 11"
    page = client.get(f"/oversight/sites/{site.uuid}/roster/").content.decode()
    assert "44443333222211" not in page and SECRETS["password"] not in page
    _assert_no_secret_or_ciphertext(page.replace(SECRETS["ccus_id"], ""))
    csv_response = client.get(f"/oversight/sites/{site.uuid}/roster/?format=csv")
    csv_body = b"".join(csv_response.streaming_content).decode()
    assert csv_body.startswith("\ufeff") and "伏字 花子" in csv_body


@pytest.mark.django_db
def test_it_tells_the_subcontractor_owner_of_an_invitation_on_the_dashboard(client, prime, sub):
    sign_in(client, sub.owner)
    assert "/engagements/" not in client.get("/").content.decode().split("<main>")[1]
    engagement_invite(prime=prime, subcontractor=sub, actor=prime.owner, request=None)
    assert "回答待ちの招待 1件" in client.get("/").content.decode()


@pytest.mark.django_db
def test_it_escapes_a_subcontractors_name_in_the_rollup(client, prime):
    firm = make_organization('<script>alert("x")</script>')
    firm.owner = make_member(firm, "owner")
    second = make_organization("二次 <b>下請</b>")
    second.owner = make_member(second, "owner")
    engage(prime, firm, prime.owner, firm.owner)
    engage(firm, second, firm.owner, second.owner, pass_up=True)
    sign_in(client, prime.owner)
    body = client.get("/oversight/").content.decode()
    assert '<script>alert("x")</script>' not in body and "<b>下請</b>" not in body
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body
    assert "2次（&lt;script&gt;" in body


@pytest.mark.django_db
@pytest.mark.parametrize(("sharing", "decrypted"), [("status", 0), ("status_ids", 1)])
def test_it_decrypts_nothing_but_a_shared_id(client, prime, sub, monkeypatch, sharing, decrypted):
    from vault.crypto import fields

    engagement = engage(prime, sub, prime.owner, sub.owner, sharing=sharing)
    sign_in(client, prime.owner)
    calls = []
    original = fields.open_sealed
    monkeypatch.setattr(fields, "open_sealed", lambda *args: calls.append(1) or original(*args))
    client.get("/oversight/")
    client.get(f"/oversight/{engagement.uuid}/")
    assert len(calls) == decrypted


@pytest.mark.django_db
def test_it_reads_a_roster_export_only_as_it_is_sent(client, prime, sub):
    site = Site.objects.create(organization=prime, name="駅前ビル新築")
    site.engagements.set([engage(prime, sub, prime.owner, sub.owner)])
    sign_in(client, prime.owner)
    for fmt in ("csv", "xlsx"):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"/oversight/sites/{site.uuid}/roster/?format={fmt}")
        assert response.streaming
        assert not [q for q in captured if "ccus_worker" in q["sql"]]
        with CaptureQueriesContext(connection) as captured:
            body = b"".join(response.streaming_content)
        assert [q for q in captured if "ccus_worker" in q["sql"]]
        assert body


@pytest.mark.django_db
def test_it_draws_a_name_with_a_percent_sign_and_markup_as_text(client, prime):
    firms = [make_organization(name) for name in ("100% <i>建設</i> %(tier)s", "二次 %s")]
    for upper, firm in zip([prime, *firms], firms, strict=False):
        firm.owner = make_member(firm, "owner")
        engage(upper, firm, upper.owner, firm.owner, pass_up=upper is not prime)
    sign_in(client, prime.owner)
    body = client.get("/oversight/").content.decode()
    assert "100% &lt;i&gt;建設&lt;/i&gt; %(tier)s</a>" in body and "<i>建設</i>" not in body
    assert "二次 %s</a>" in body and "2次（100% &lt;i&gt;建設&lt;/i&gt; %(tier)s経由）" in body
