"""The health report in Chromium: each next step opens exactly its accounts; first steps."""

import datetime

import pytest

from ccus.accounts.models import Worker
from tests.browser.conftest import SCREENSHOTS
from tests.console import hand_session_to_browser
from tests.factories import make_company, make_worker

DESKTOP, PHONE = {"width": 1280, "height": 800}, {"width": 390, "height": 844}


def _names(page) -> list[str]:
    return page.locator("tbody tr td a").all_inner_texts()


@pytest.mark.django_db(transaction=True)
def test_each_next_step_opens_exactly_its_accounts(page, live_server, owner, organization):
    today = datetime.date.today()
    make_company(
        organization, name="期限切れ建設", ccus_id="99990000111122",
        registered_email="office@example.jp",
        registration_expires_on=today - datetime.timedelta(days=3),
    )  # fmt: skip
    make_worker(organization, name="IDなし 一郎", registered_email="a@example.jp")
    make_worker(organization, name="IDなし 二郎", registered_email="b@example.jp")
    make_worker(
        organization, name="揃い 三郎", ccus_id="12345678901234", registered_email="c@example.jp"
    )
    left = make_worker(organization, name="退職 四郎", registered_email="d@example.jp")
    Worker.objects.filter(pk=left.pk).update(status="left")

    hand_session_to_browser(page, live_server, owner)
    for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        page.goto("/")
        steps = page.locator(".todo li")
        assert steps.count() == 2
        assert "期限切れ" in steps.nth(0).inner_text() and "1件" in steps.nth(0).inner_text()
        assert "IDが未登録" in steps.nth(1).inner_text() and "2件" in steps.nth(1).inner_text()
        assert page.evaluate("document.scrollingElement.scrollWidth") <= viewport["width"]
        page.screenshot(path=SCREENSHOTS / f"health-next-steps-{name}.png", full_page=True)

    page.set_viewport_size(DESKTOP)
    page.goto("/")
    page.locator(".todo li").nth(0).get_by_role("link", name="対象を表示").click()
    page.wait_for_url("**/companies/?filter=expired")
    assert _names(page) == ["期限切れ建設"]
    page.go_back()
    page.locator(".todo li").nth(1).get_by_role("link", name="対象を表示").click()
    page.wait_for_url("**/workers/?filter=missing_id")
    assert _names(page) == ["IDなし 一郎", "IDなし 二郎"]
    assert page.get_by_label("表示", exact=True).input_value() == "missing_id"
    page.screenshot(path=SCREENSHOTS / "health-next-step-list.png", full_page=True)


@pytest.mark.django_db(transaction=True)
def test_a_new_firm_sees_its_first_steps(page, live_server, owner, organization):
    hand_session_to_browser(page, live_server, owner)
    for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        page.goto("/")
        guide = page.locator(".first-steps")
        assert guide.locator("h2").inner_text() == "はじめにやること"
        assert guide.locator("li.done").count() == 0
        assert page.locator(".tiles").count() == 0
        assert page.evaluate("document.scrollingElement.scrollWidth") <= viewport["width"]
        page.screenshot(path=SCREENSHOTS / f"health-first-steps-{name}.png", full_page=True)

    page.set_viewport_size(DESKTOP)
    page.get_by_role("link", name="事業者アカウント（事業者ID）を登録する").click()
    page.wait_for_url("**/companies/new/")
    make_company(organization, name="自社建設")
    page.goto("/")
    assert page.locator(".first-steps li.done").all_inner_texts()[0].startswith("✓")
    assert "事業者アカウント" in page.locator(".first-steps li.done").inner_text()
    page.screenshot(path=SCREENSHOTS / "health-first-steps-one-done.png", full_page=True)
