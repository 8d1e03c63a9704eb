"""Leaving with handover steps undone warns first; fee dates are typed in 和暦 on a phone."""

import pytest

from ccus.accounts.models import ManagerIdFee, Worker
from tests.browser.conftest import SCREENSHOTS
from tests.console import hand_session_to_browser
from tests.factories import make_company, make_worker

DESKTOP, PHONE = {"width": 1280, "height": 800}, {"width": 390, "height": 844}


def _shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


@pytest.mark.django_db(transaction=True)
def test_leaving_with_steps_undone_then_fee_dates(page, live_server, organization, owner):
    worker = make_worker(organization, name="退職 予定", name_kana="タイショク ヨテイ")
    company = make_company(organization, name="協力建設")
    hand_session_to_browser(page, live_server, owner)

    page.set_viewport_size(DESKTOP)
    page.goto(f"/workers/{worker.uuid}/handover/")
    step = page.locator("#step-email_moved")
    step.get_by_label("メモ").fill("本人の携帯アドレスに変更")
    step.get_by_role("button", name="実施済みとして記録する").click()
    note = page.locator("#step-email_moved .step-note")
    assert note.inner_text() == "メモ: 本人の携帯アドレスに変更"

    page.goto(f"/workers/{worker.uuid}/left/")
    page.get_by_role("button", name="退職にする").click()
    warning = page.locator("#undone")
    assert warning.get_by_text("3件の引き継ぎがまだ済んでいません").is_visible()
    assert warning.locator("li").count() == 3
    _shot(page, "leave-undone-desktop")
    page.get_by_role("button", name="未完了のまま退職にする").click()
    assert page.get_by_text("「退職 予定」を退職にしました。").is_visible()
    assert Worker.objects.get(pk=worker.pk).status == "left"

    page.set_viewport_size(PHONE)
    page.goto(f"/companies/{company.uuid}/")
    page.get_by_role("link", name="支払期限を入力・変更する").click()
    new = page.locator("#fee-new")
    new.get_by_label("どの管理者IDか").fill("事業者責任者")
    new.get_by_label("利用料の支払期限").fill("令和９年３月３１日")
    new.get_by_role("button", name="追加する").click()
    assert page.get_by_text("2027-03-31（令和9年3月31日）").first.is_visible()
    fee = ManagerIdFee.objects.get()
    card = page.locator(f"#fee-{fee.uuid}")
    card.get_by_label("利用料の支払期限").fill("令和9年2月30日")
    card.get_by_role("button", name="保存する").click()
    card = page.locator(f"#fee-{fee.uuid}")
    assert card.get_by_label("利用料の支払期限").input_value() == "令和9年2月30日"
    assert card.locator(".errorlist").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    _shot(page, "fee-dates-phone")
