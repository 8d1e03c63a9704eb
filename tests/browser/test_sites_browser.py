"""A prime invites a subcontractor by a code typed loosely, which its owner accepts from the email;
the prime puts chosen workers on a site's roster, on a desktop and a phone, and prints it."""

import re

import pytest
from django.core import mail

from ccus.oversight.models import Site
from tests.browser.conftest import SCREENSHOTS
from tests.console import hand_session_to_browser as _become
from tests.factories import leaked, make_member, make_organization, make_secret_worker, make_worker

DESKTOP, PHONE = {"width": 1280, "height": 800}, {"width": 390, "height": 844}
FULL_WIDTH = {c: c + 0xFEE0 for c in range(0x21, 0x7F)}


def _shot(page, name: str) -> None:
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def _visible_buttons(page) -> list[str]:
    controls = page.locator("button, a.button, input[type=submit], input[type=checkbox]")
    return [c.inner_text() or "?" for c in controls.all() if c.is_visible()]


@pytest.mark.django_db(transaction=True)
def test_invite_by_email_link_then_a_site_roster_on_desktop_phone_and_paper(
    page, live_server, organization, owner
):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    make_secret_worker(organization)
    make_worker(organization, name="現場 一郎", name_kana="ゲンバ イチロウ")
    make_worker(organization, name="事務所 花子", name_kana="ジムショ ハナコ")
    make_worker(organization, name="退職 三郎", name_kana="タイショク サブロウ", status="left")
    prime = make_organization("元請建設")
    prime_owner = make_member(prime, "owner")

    # The code as a person reads it off paper into a Japanese IME: full width, spaced out.
    _become(page, live_server, prime_owner)
    page.set_viewport_size(DESKTOP)
    page.goto("/engagements/")
    page.get_by_label("会社コード").fill(" ".join(organization.code.translate(FULL_WIDTH)))
    _shot(page, "invite-code-desktop")
    page.get_by_role("button", name="招待する").click()
    assert page.get_by_text("招待を送りました。").is_visible()

    assert [m.to for m in mail.outbox] == [[owner.email]]
    email = mail.outbox[0]
    assert "元請建設" in email.subject and leaked(email.body) == []
    link = re.search(r"http://\S+/engagements/#invitation-\S+", email.body).group(0)

    _become(page, live_server, owner)
    page.set_viewport_size(PHONE)
    page.goto("/")  # the link differs from the page open now only by its fragment
    page.goto(link.replace("http://127.0.0.1:8000", live_server.url))
    invitation = page.locator(f"#{link.split('#')[1]}")
    assert invitation.get_by_text("元請建設").is_visible()
    _shot(page, "invite-accept-phone")
    invitation.get_by_label("状況のみ").check()
    invitation.get_by_role("button", name="承諾する").click()

    _become(page, live_server, prime_owner)
    page.set_viewport_size(DESKTOP)
    page.goto("/oversight/sites/")
    page.get_by_label("現場名").fill("駅前ビル新築")
    page.get_by_label(organization.name).check()
    page.get_by_role("button", name="保存する").click()
    assert page.get_by_text("現場を保存しました。").is_visible()
    site = Site.objects.get()

    page.goto(f"/oversight/sites/{site.uuid}/roster/")
    assert page.get_by_text("この名簿にはまだ技能者がいません。").is_visible()
    choices = page.locator("#add-workers label.choice")
    assert "退職 三郎" not in " ".join(choices.all_inner_texts())
    for name in ("秘密 太郎", "現場 一郎"):
        choices.filter(has_text=name).locator("input").check()
    page.get_by_role("button", name="選んだ技能者を追加する").click()
    assert page.get_by_text("2人を名簿に追加しました。").is_visible()
    roster = page.locator("#roster")
    assert "事務所 花子" not in roster.inner_text()
    assert "秘密 太郎" in roster.inner_text() and "現場 一郎" in roster.inner_text()
    _shot(page, "site-roster-desktop")

    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    _shot(page, "site-roster-phone")
    roster.locator("tr", has_text="現場 一郎").get_by_role("button", name="名簿から外す").click()
    assert page.get_by_text("1人を名簿から外しました。").is_visible()
    assert "現場 一郎" not in page.locator("#roster").inner_text()

    page.get_by_role("link", name="退職した技能者も表示する").click()
    assert "退職 三郎" in " ".join(page.locator("#add-workers label.choice").all_inner_texts())
    page.get_by_role("link", name="退職した技能者を隠す").click()

    page.set_viewport_size(DESKTOP)
    page.emulate_media(media="print")
    assert page.locator("#roster").get_by_text("秘密 太郎").is_visible()
    assert _visible_buttons(page) == []
    assert not page.get_by_text("退職した技能者も表示する").is_visible()
    _shot(page, "site-roster-print")
    page.emulate_media(media="screen")

    for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        page.goto("/oversight/")
        page.get_by_text("準備度の数え方").click()
        assert page.get_by_text("次の5つの割合（%）の平均です").is_visible()
        _shot(page, f"readiness-legend-{name}")
    page.emulate_media(media="print")
    assert _visible_buttons(page) == []
    page.emulate_media(media="screen")
