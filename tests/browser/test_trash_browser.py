"""In Chromium: an owner moves a mistaken worker to the trash, finds it there, restores it."""

import pytest
from playwright.sync_api import expect

from ccus.accounts.models import Worker
from tests.console import sign_in_browser
from tests.factories import make_worker

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


@pytest.mark.django_db(transaction=True)
def test_an_owner_moves_a_mistake_to_the_trash_and_restores_it(
    page, live_server, screenshot, organization, owner
):
    worker = make_worker(organization, name="二重 登録", ccus_id="12345678901234")
    make_worker(organization, name="正しい 登録")
    sign_in_browser(page, live_server, owner)
    page.set_viewport_size(DESKTOP)
    page.goto(f"/workers/{worker.uuid}/")
    page.get_by_role("link", name="間違って登録した：ごみ箱に移す").click()
    expect(page.locator("h1")).to_have_text("「二重 登録」をごみ箱に移しますか？")
    screenshot("trash-confirm-desktop")
    page.get_by_role("button", name="ごみ箱に移す").click()
    page.wait_for_url("**/workers/")
    expect(page.locator(".message.success")).to_contain_text("「二重 登録」をごみ箱に移しました")
    expect(page.locator("table")).not_to_contain_text("二重 登録")
    screenshot("trash-moved-desktop")

    page.get_by_role("link", name="ごみ箱").click()
    expect(page.locator("table")).to_contain_text("二重 登録")
    screenshot("trash-page-desktop")
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot("trash-page-phone")
    page.get_by_role("button", name="元に戻す").click()
    page.wait_for_url(f"**/workers/{worker.uuid}/")
    expect(page.locator(".message.success")).to_contain_text("「二重 登録」を元に戻しました")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot("trash-restored-phone")
    assert Worker.objects.filter(pk=worker.pk).exists()
