"""A prime invites a subcontractor, which shares status and IDs; the prime looks, then it ends."""

import pytest

from tests.console import hand_session_to_browser as _become
from tests.factories import (
    SECRETS,
    leaked,
    make_company,
    make_member,
    make_organization,
    make_secret_worker,
)


@pytest.mark.django_db(transaction=True)
def test_it_invites_accepts_looks_and_ends(page, live_server, screenshot, organization, owner):
    make_company(organization, name="協力建設", ccus_id="55556666777788")
    make_secret_worker(organization)
    prime = make_organization("元請建設")
    prime_owner = make_member(prime, "owner")

    _become(page, live_server, prime_owner)
    page.goto("/engagements/")
    page.get_by_label("会社コード").fill(organization.code)
    page.get_by_role("button", name="招待する").click()
    assert page.get_by_text("招待を送りました。").is_visible()

    _become(page, live_server, owner)
    page.goto("/engagements/")
    page.get_by_label("状況と全桁のID").check()
    page.get_by_role("button", name="承諾する").click()

    _become(page, live_server, prime_owner)
    page.goto("/oversight/")
    assert page.get_by_role("link", name=organization.name).is_visible()
    screenshot("oversight-rollup")
    assert SECRETS["password"] not in page.content()
    page.get_by_role("link", name=organization.name).click()
    assert page.get_by_text(SECRETS["ccus_id"]).is_visible()
    assert leaked(page.content(), {k: v for k, v in SECRETS.items() if k != "ccus_id"}) == []
    screenshot("oversight-drill-down")

    page.goto("/engagements/")
    page.get_by_role("button", name="終了する").click()
    assert page.get_by_text("関係を終了しました。").is_visible()
    page.goto("/oversight/")
    assert page.get_by_text("まだ協力会社はありません。").is_visible()
    assert organization.name not in page.locator("table").inner_text()


@pytest.mark.django_db(transaction=True)
def test_a_large_prime_pages_through_its_subcontractors_on_desktop_and_phone(page, live_server):
    from tests.browser.conftest import SCREENSHOTS
    from tests.ccus.oversight.test_oversight import _subcontractors

    prime = make_organization("大手元請建設")
    prime_owner = make_member(prime, "owner")
    _subcontractors(prime, 305)
    _become(page, live_server, prime_owner)
    viewports = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
    for name, viewport in viewports.items():
        page.set_viewport_size(viewport)
        page.goto("/oversight/")
        page.get_by_label("並び順").select_option("name")
        page.get_by_role("button", name="表示", exact=True).click()
        assert page.get_by_text("合計: 協力会社 305社、技能者 305人。").is_visible()
        assert page.locator("tbody tr").count() == 300
        page.screenshot(path=str(SCREENSHOTS / f"oversight-large-{name}.png"))
        page.get_by_role("link", name="次へ").click()
        assert page.get_by_text("上で選んだ並び順で、301〜305社目を表示しています。").is_visible()
        assert page.locator("tbody tr").count() == 5
        assert page.get_by_label("並び順").input_value() == "name"
        page.screenshot(
            path=str(SCREENSHOTS / f"oversight-large-{name}-page-2.png"), full_page=True
        )
