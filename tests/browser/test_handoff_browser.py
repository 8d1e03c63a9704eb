"""An admin makes a one-time link; the worker opens it on a phone with the PIN, once."""

import re

import pytest

from tests.browser.conftest import SCREENSHOTS
from tests.console import hand_session_to_browser
from tests.factories import SECRETS, make_secret_worker

PHONE = {"width": 390, "height": 844}


@pytest.mark.django_db(transaction=True)
def test_a_worker_opens_their_login_on_a_phone_once(
    browser, page, live_server, screenshot, organization, owner
):
    worker = make_secret_worker(organization)
    hand_session_to_browser(page, live_server, owner)
    page.goto(f"/workers/{worker.uuid}/handover/")
    page.get_by_role("link", name="本人にログイン情報を渡す").click()
    page.get_by_label("PINの桁数").select_option("6")
    page.get_by_role("button", name="リンクとPINを作る").click()
    link = page.locator("#handoff-url").input_value()
    pin = page.locator("#handoff-pin").inner_text().strip()
    assert re.fullmatch(r"\d{6}", pin)
    screenshot("handoff-created")
    path, _, secret = link.partition("#")
    assert len(secret) == 43

    phone = browser.new_context(
        base_url=live_server.url,
        locale="ja-JP",
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    phone.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    requests = []
    phone.on("request", lambda request: requests.append(request))
    mobile = phone.new_page()
    mobile.set_default_timeout(10_000)
    mobile.goto(link)
    assert mobile.get_by_role("heading", name="あなたのCCUSログイン情報").is_visible()
    mobile.screenshot(path=SCREENSHOTS / "handoff-phone-pin.png")
    # Changing the language goes through a redirect that may drop the "#…": the tab keeps it.
    mobile.get_by_label("表示言語").select_option("en")
    mobile.get_by_role("heading", name="Your CCUS login").wait_for()
    mobile.get_by_label("Language").select_option("ja")
    mobile.get_by_role("heading", name="あなたのCCUSログイン情報").wait_for()
    assert not mobile.locator("[data-fragment-missing]").is_visible()
    mobile.get_by_label("PIN（4〜8桁の数字）").fill("000000" if pin != "000000" else "111111")
    mobile.get_by_role("button", name="開く").click()
    assert mobile.get_by_text("あと2回間違えると").is_visible()
    mobile.get_by_label("PIN（4〜8桁の数字）").fill(pin)
    mobile.get_by_role("button", name="開く").click()
    assert mobile.locator("#item-password").inner_text() == SECRETS["password"]
    assert mobile.locator("#item-ccus_id").inner_text() == SECRETS["ccus_id"]
    # Nothing is wider than the phone's screen.
    assert mobile.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    mobile.locator("[data-copy='item-password']").click()
    assert mobile.evaluate("navigator.clipboard.readText()") == SECRETS["password"]
    mobile.screenshot(path=SCREENSHOTS / "handoff-phone-shown.png", full_page=True)

    mobile.reload()
    assert mobile.get_by_role("heading", name="このリンクはもう開けません").is_visible()
    assert mobile.evaluate("sessionStorage.length") == 0
    assert SECRETS["password"] not in mobile.content()
    mobile.screenshot(path=SCREENSHOTS / "handoff-phone-closed.png")
    # The secret part travelled only in POST bodies, never in an address the server saw.
    assert requests and all(secret not in request.url for request in requests)
    posts = [r for r in requests if r.method == "POST" and r.url.endswith(path)]
    assert len(posts) == 3 and all(secret in r.post_data for r in posts)
    others = [r for r in requests if r.method == "POST" and not r.url.endswith(path)]
    assert others and all(secret not in (r.post_data or "") for r in others)
    phone.close()
