"""Account forms in Chromium: warnings beside a field as it is left, and 和暦 dates."""

import datetime

import pytest
from playwright.sync_api import expect

from ccus.accounts.models import Worker
from tests.console import sign_in_browser
from tests.factories import make_company, make_worker

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
CARRIER = "携帯電話会社のメールアドレスです"
SHARED = "ほかに1人の技能者が同じ登録メールアドレスを使っています"


def _warnings(page, field: str):
    return page.locator(f"[data-warnings-for={field}] .message.warning")


@pytest.mark.django_db(transaction=True)
def test_it_warns_beside_a_field_as_it_is_left_and_once_after_saving(
    page, live_server, screenshot, organization, staff
):
    make_worker(organization, name="先輩 一郎", registered_email="family@docomo.ne.jp")
    make_company(organization, name="協力建設株式会社")
    sign_in_browser(page, live_server, staff)
    page.set_viewport_size(DESKTOP)
    page.goto("/workers/new/")
    page.get_by_label("氏名・名称").fill("新人 二郎")
    email = page.get_by_label("登録メールアドレス", exact=True)
    email.fill("family@docomo.ne.jp")
    email.press("Tab")
    expect(_warnings(page, "registered_email")).to_have_count(2)
    assert SHARED in _warnings(page, "registered_email").all_inner_texts()[1]
    page.get_by_label("セキュリティコード", exact=True).fill("4821")
    hint = page.get_by_label("セキュリティコードのヒント")
    hint.fill("金庫 4821")
    hint.press("Tab")
    expect(_warnings(page, "security_code_hint")).to_have_count(1)
    screenshot("form-warnings-desktop")
    # Leaving a field again with the same value does not repeat its warnings.
    email.focus()
    email.press("Tab")
    expect(_warnings(page, "registered_email")).to_have_count(2)
    hint.fill("金庫の赤い封筒")
    hint.press("Tab")
    expect(_warnings(page, "security_code_hint")).to_have_count(0)
    page.get_by_label("生年月日").fill("S50.4.1")

    page.get_by_role("button", name="保存する").click()
    page.wait_for_url("**/workers/*/")
    body = page.locator("main").inner_text()
    assert body.count(CARRIER) == 1
    assert body.count(SHARED) == 1
    assert Worker.objects.get(name="新人 二郎").birth_date == datetime.date(1975, 4, 1)
    screenshot("form-warnings-saved-desktop")


@pytest.mark.django_db(transaction=True)
def test_it_warns_on_a_phone_when_an_edit_puts_a_carrier_address(
    page, live_server, screenshot, organization, staff
):
    worker = make_worker(organization, name="現場 三郎", registered_email="genba@example.jp")
    sign_in_browser(page, live_server, staff)
    page.set_viewport_size(PHONE)
    page.goto(f"/workers/{worker.uuid}/edit/")
    email = page.get_by_label("登録メールアドレス", exact=True)
    email.fill("genba@ezweb.ne.jp")
    email.press("Tab")
    expect(_warnings(page, "registered_email").first).to_contain_text(CARRIER)
    page.get_by_label("カードの有効期限").fill("Ｒ１０．３．３１")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot("form-warnings-phone")
    page.get_by_role("button", name="保存する").click()
    page.wait_for_url(f"**/workers/{worker.uuid}/")
    assert page.locator("main").inner_text().count(CARRIER) == 1
    worker.refresh_from_db()
    assert worker.card_expires_on == datetime.date(2028, 3, 31)
    screenshot("form-warnings-saved-phone")
