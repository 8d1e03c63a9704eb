"""Invitations emailed to owners, firm codes as typed, site rosters, the readiness legend."""

import re

import pytest
from django.core import mail

from ccus.oversight.engagements import engagement_answer, engagement_invite, normalize_firm_code
from ccus.oversight.models import Engagement, Site
from ccus.oversight.rollup import READINESS_PARTS, readiness_score
from tests.console import sign_in
from tests.factories import (
    SECRETS,
    leaked,
    make_company,
    make_member,
    make_organization,
    make_secret_worker,
    make_worker,
)
from vault.audit.models import AuditEvent


@pytest.fixture
def sub(organization, owner):
    organization.owner = owner
    make_company(organization, name="協力建設", ccus_id="55556666777788", password="pw-company-1")
    make_secret_worker(organization)
    return organization


def _engage(prime, sub, **answer) -> Engagement:
    engagement = engagement_invite(prime=prime, subcontractor=sub, actor=prime.owner, request=None)
    return engagement_answer(engagement=engagement, accept=True, actor=sub.owner, request=None,
                             **{"sharing": "status", "pass_up": False, **answer})  # fmt: skip


@pytest.mark.parametrize(
    "typed",
    [
        "k7qx-2m9p",
        "K7QX2M9P",
        " K7QX 2M9P ",
        "Ｋ７ＱＸ－２Ｍ９Ｐ",
        "k7qx ー 2m9p",
        "K7QX‐2M9P",
        "K7-QX-2M-9P",
    ],
)
def test_it_reads_a_firm_code_however_it_was_typed(typed):
    assert normalize_firm_code(typed) == "K7QX-2M9P"


@pytest.mark.django_db
def test_it_finds_the_firm_by_a_code_typed_in_full_width_with_spaces(client, prime, sub):
    sign_in(client, prime.owner)
    typed = " ".join(sub.code.replace("-", "－")).translate(
        {c: c + 0xFEE0 for c in range(0x21, 0x7F)}
    )
    response = client.post("/engagements/", {"code": typed})
    assert response.status_code == 302
    assert Engagement.objects.get().subcontractor == sub


@pytest.mark.django_db
def test_it_emails_each_owner_of_the_subcontractor_in_japanese(
    client, prime, sub, django_capture_on_commit_callbacks
):
    second_owner = make_member(sub, "owner")
    make_member(sub, "staff")
    sign_in(client, prime.owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/engagements/", {"code": sub.code})
    engagement = Engagement.objects.get()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([sub.owner.email, second_owner.email])
    message = mail.outbox[0]
    assert "元請建設" in message.subject and sub.name in message.subject
    assert "招待" in message.subject
    link = f"http://127.0.0.1:8000/engagements/#invitation-{engagement.uuid}"
    html = message.alternatives[0][0]
    assert link in message.body and link in html
    assert "パスワード" in message.body  # it says what a prime never sees, in Japanese
    for text in (message.subject, message.body, html):
        assert leaked(text) == []
        assert "55556666777788" not in text and "pw-company-1" not in text
    sign_in(client, sub.owner)
    page = client.get("/engagements/").content.decode()
    assert f'id="invitation-{engagement.uuid}"' in page


@pytest.mark.django_db
def test_the_invitation_task_takes_ids_and_sends_nothing_once_answered(prime, sub):
    from ccus.oversight.tasks import send_engagement_invitation

    engagement = _engage(prime, sub)
    mail.outbox.clear()
    assert send_engagement_invitation(engagement.id, sub.owner.id) is False
    assert mail.outbox == []


def _roster_site(prime, sub) -> tuple[Site, Engagement]:
    engagement = _engage(prime, sub)
    site = Site.objects.create(organization=prime, name="駅前ビル新築")
    site.engagements.set([engagement])
    return site, engagement


def _names(page: str) -> list[str]:
    table = page.split('id="roster"')[1].split("</table>")[0]
    return re.findall(r'data-label="氏名・名称">([^<]+)<', table)


@pytest.mark.django_db
def test_a_site_roster_has_the_workers_chosen_for_it(client, prime, sub):
    site, _engagement = _roster_site(prime, sub)
    chosen = make_worker(sub, name="選ばれた 一郎", name_kana="エラバレタ イチロウ")
    make_worker(sub, name="別現場 次郎", name_kana="ベツゲンバ ジロウ")
    left = make_worker(sub, name="退職 三郎", name_kana="タイショク サブロウ", status="left")
    sign_in(client, prime.owner)
    url = f"/oversight/sites/{site.uuid}/roster/"
    assert _names(client.get(url).content.decode()) == []
    candidates = client.get(url).content.decode().split('id="add-workers"')[1]
    assert "別現場 次郎" in candidates and "退職 三郎" not in candidates

    change = f"{url}change/"
    client.post(change, {"action": "add", "workers": [str(chosen.uuid), str(left.uuid)]})
    assert _names(client.get(url).content.decode()) == ["選ばれた 一郎"]
    assert set(site.workers.all()) == {chosen, left}
    assert _names(client.get(f"{url}?left=1").content.decode()) == ["選ばれた 一郎", "退職 三郎"]
    csv_body = b"".join(client.get(f"{url}?format=csv").streaming_content).decode()
    assert "選ばれた 一郎" in csv_body and "別現場 次郎" not in csv_body
    assert "退職 三郎" not in csv_body

    client.post(change, {"action": "remove", "workers": [str(chosen.uuid)]})
    assert _names(client.get(url).content.decode()) == []
    actions = AuditEvent.objects.filter(organization=prime, action__startswith="site.roster")
    assert sorted(actions.values_list("action", flat=True)) == [
        "site.roster_add",
        "site.roster_remove",
    ]


@pytest.mark.django_db
def test_a_roster_takes_only_workers_of_the_sites_subcontractors(client, prime, sub):
    site, _engagement = _roster_site(prime, sub)
    elsewhere = make_organization("無関係の会社")
    stranger = make_worker(elsewhere, name="無関係 四郎")
    other = make_organization("別の協力会社")
    other.owner = make_member(other, "owner")
    _engage(prime, other)
    not_on_site = make_worker(other, name="現場外 五郎")
    sign_in(client, prime.owner)
    client.post(
        f"/oversight/sites/{site.uuid}/roster/change/",
        {"action": "add", "workers": [str(stranger.uuid), str(not_on_site.uuid), "not-a-uuid"]},
    )
    assert site.workers.count() == 0


@pytest.mark.django_db
def test_a_roster_is_changed_by_admins_only_and_by_post(client, prime, sub):
    site, _engagement = _roster_site(prime, sub)
    worker = make_worker(sub)
    change = f"/oversight/sites/{site.uuid}/roster/change/"
    viewer = make_member(prime, "viewer")
    sign_in(client, viewer)
    page = client.get(f"/oversight/sites/{site.uuid}/roster/").content.decode()
    assert 'id="add-workers"' not in page
    assert client.post(change, {"action": "add", "workers": [str(worker.uuid)]}).status_code == 403
    sign_in(client, prime.owner)
    assert client.get(change).status_code == 405
    sign_in(client, sub.owner)
    assert client.post(change, {"action": "add", "workers": [str(worker.uuid)]}).status_code == 404
    assert site.workers.count() == 0


@pytest.mark.django_db
def test_the_roster_page_shows_no_secret(client, prime, sub):
    site, _engagement = _roster_site(prime, sub)
    site.workers.set(sub.workers.all())
    sign_in(client, prime.owner)
    page = client.get(f"/oversight/sites/{site.uuid}/roster/").content.decode()
    assert "秘密 太郎" in page
    assert leaked(page) == []
    assert SECRETS["ccus_id"] not in page


@pytest.mark.django_db
def test_the_rollup_says_how_readiness_is_counted(client, prime, sub):
    _engage(prime, sub)
    sign_in(client, prime.owner)
    page = client.get("/oversight/").content.decode()
    legend = page.split('id="readiness-legend"')[1].split("</details>")[0]
    assert "準備度の数え方" in legend
    assert legend.count("<li>") == len(READINESS_PARTS) == 5
    for part in READINESS_PARTS:
        assert str(part) in legend
    assert "平均" in legend


def test_the_legend_matches_what_the_score_counts():
    perfect = {"workers": 4, "companies_confirmed": 1, "registration_expired": 0, "with_id": 4,
               "confirmed": 4, "expired": 0, "missing_email": 0}  # fmt: skip
    assert readiness_score(perfect) == 100
    # Each part weighs one fifth, as the legend says.
    assert readiness_score({**perfect, "missing_email": 4}) == 80
    assert readiness_score({**perfect, "workers": 0}) == 20


@pytest.mark.django_db
def test_a_prime_chooses_among_its_own_sites_only(client, prime):
    for name in ("駅前ビル新築", "中央病院改修"):
        Site.objects.create(organization=prime, name=name)
    Site.objects.create(organization=make_organization("他社建設"), name="他社の現場")
    sign_in(client, prime.owner)
    for url in ("/oversight/", "/oversight/sites/"):
        body = client.get(url).content.decode()
        assert body.index("中央病院改修") < body.index("駅前ビル新築"), url  # in name order
        assert "他社の現場" not in body, url
