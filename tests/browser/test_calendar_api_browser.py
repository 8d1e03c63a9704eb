"""A member copies a calendar address; an owner makes an API token: desktop and phone."""

import pytest

from tests.browser.conftest import SCREENSHOTS
from tests.console import hand_session_to_browser

VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


@pytest.mark.django_db(transaction=True)
def test_a_calendar_address_and_an_api_token_are_made_and_copied(page, live_server, owner):
    hand_session_to_browser(page, live_server, owner)
    for name, viewport in VIEWPORTS.items():
        page.set_viewport_size(viewport)
        page.goto("/calendar/")
        page.get_by_role("button", name="自分のカレンダーのアドレスを作る").or_(
            page.get_by_role(
                "button", name="新しいアドレスを作る（古いアドレスは使えなくなります）"
            )
        ).click()
        address = page.locator("#calendar-url").input_value()
        page.get_by_role("button", name="アドレスをコピー").click()
        assert page.evaluate("navigator.clipboard.readText()") == address
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        page.screenshot(path=SCREENSHOTS / f"calendar-{name}.png", full_page=True)
        feed = page.request.get(address)
        assert feed.ok and feed.text().startswith("BEGIN:VCALENDAR")

        page.goto("/firm/api-tokens/")
        page.get_by_label("トークンの用途").fill(f"入退場システム {name}")
        page.get_by_role("button", name="読み取り専用のトークンを作る").click()
        token = page.locator("#api-token").input_value()
        assert token.startswith("ccv_")
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        page.screenshot(path=SCREENSHOTS / f"api-tokens-{name}.png", full_page=True)
        sites = page.request.get("/api/v1/sites", headers={"Authorization": f"Bearer {token}"})
        assert sites.status == 200 and sites.json() == []
