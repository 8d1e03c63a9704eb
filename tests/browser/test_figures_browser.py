"""A staff member sees the health report and the list change at once after each change."""

import pytest

from tests.factories import make_member, make_worker

PASSWORD = "correct-horse-battery"


def _figures(page) -> list[str]:
    return page.locator("section[data-kind=workers] .figure").all_inner_texts()


@pytest.mark.django_db(transaction=True)
def test_it_shows_new_figures_and_rows_right_after_a_change(page, screenshot, organization):
    staff = make_member(organization, "staff")
    make_worker(
        organization, name="田中 一郎", name_kana="タナカ イチロウ", ccus_id="11112222333344"
    )
    make_worker(organization, name="伊藤 二郎", name_kana="イトウ ジロウ")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/")
    page.get_by_label("メールアドレス").fill(staff.email)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    assert _figures(page)[:2] == ["2", "1"]  # in total, no ID
    page.reload()  # counted once, then from the cache
    assert _figures(page)[:2] == ["2", "1"]
    screenshot("figures-dashboard-desktop")

    page.goto("/workers/")
    page.get_by_role("link", name="伊藤 二郎").click()
    page.get_by_role("link", name="退職した").click()
    page.get_by_role("button", name="退職にする").click()
    page.get_by_role("button", name="未完了のまま退職にする").click()  # no handover step recorded
    page.wait_for_url("**/workers/*/")
    page.goto("/")
    assert _figures(page)[:2] == ["1", "0"]  # the worker who left is out of scope

    page.goto("/workers/")
    page.get_by_role("link", name="アカウントを追加").click()
    page.get_by_label("氏名・名称").fill("ｽｽﾞｷ 三郎")
    page.get_by_label("フリガナ").fill("ｽｽﾞｷ ｻﾌﾞﾛｳ")
    page.get_by_role("button", name="保存する").click()
    page.goto("/workers/")
    names = page.locator("tbody td a").all_inner_texts()
    assert len(names) == 3 and any("三郎" in name for name in names)
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("figures-worker-list-phone")
    page.goto("/")
    assert _figures(page)[:2] == ["2", "1"]
    screenshot("figures-dashboard-phone")
