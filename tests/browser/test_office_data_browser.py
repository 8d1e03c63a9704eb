"""An office admin brings a roster kept in Excel for years, fixes what Excel did, and recovers."""

import pytest

from ccus.accounts.models import Worker
from tests.console import sign_in_browser
from tests.factories import make_company, make_worker

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
ROSTER = [
    "No.,氏名（漢字）,ふりがな,技能者ＩＤ,生年月日（西暦）,電話番号",
    "1,山田 太郎,やまだ たろう,1234567890123,1981/2/3 0:00,０９０ー１１１１ー２２２２",
    ",,,,,",
    "2,佐々木 健,ｻｻｷ ｹﾝ,1.23457E+13,平成32年4月1日,",
    "3,,,,,",
    "4,髙橋 ㈱,たかはし,22223333444455,19750401,",
]


@pytest.mark.django_db(transaction=True)
def test_it_imports_an_excel_roster_and_offers_what_excel_dropped(
    page, live_server, screenshot, organization, owner, tmp_path
):
    sign_in_browser(page, live_server, owner)
    page.set_viewport_size(DESKTOP)
    roster = tmp_path / "名簿.csv"
    roster.write_bytes(("\r\n".join(ROSTER) + "\r\n").encode("cp932"))
    page.goto("/workers/import/")
    page.locator("input[type=file]").set_input_files(str(roster))
    page.get_by_role("button", name="確認画面を表示する").click()
    body = page.locator("main").inner_text()
    assert "先頭の0が消えた可能性があります" in body
    assert "Excelの中ですでに失われていて" in body and "令和2年4月1日" in body
    assert page.locator("tbody tr").count() == 3  # numbered template rows are not rows
    assert [c.inner_text() for c in page.locator("tbody tr td:first-child").all()] == [
        "2",
        "4",
        "6",
    ]
    screenshot("office-preview-desktop")
    page.set_viewport_size(PHONE)
    screenshot("office-preview-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 420

    page.set_viewport_size(DESKTOP)
    page.get_by_role("button", name="01234567890123 を使う").click()
    page.get_by_role("button", name="エラーのない行を取り込む").click()
    assert Worker.objects.get(name="山田 太郎").ccus_id == "01234567890123"
    assert Worker.objects.get(name="山田 太郎").name_kana == "ヤマダ タロウ"
    assert Worker.objects.get(name="髙橋 ㈱").phone is None
    assert not Worker.objects.filter(name="佐々木 健").exists()

    # The same kind of ID typed by hand: offered, taken with one click.
    page.goto("/workers/new/")
    page.get_by_label("氏名・名称").fill("佐々木 健")
    page.get_by_label("フリガナ").fill("ささき けん")
    page.get_by_label("技能者ID").fill("2345678901234")
    page.get_by_role("button", name="保存する").click()
    screenshot("office-form-offer")
    page.set_viewport_size(PHONE)
    screenshot("office-form-offer-phone")
    page.set_viewport_size(DESKTOP)
    with page.expect_navigation():  # Enter saves what was typed, which is refused again
        page.get_by_label("フリガナ").press("Enter")
    assert page.get_by_text("先頭の0が消えた可能性があります").is_visible()
    assert not Worker.objects.filter(name="佐々木 健").exists()
    page.get_by_role("button", name="02345678901234 にして保存").click()
    page.wait_for_url("**/workers/*/")
    assert Worker.objects.get(name="佐々木 健").ccus_id == "02345678901234"
    page.goto("/workers/?q=ｻｻｷ")
    assert page.get_by_role("link", name="佐々木 健").is_visible()
    screenshot("office-worker-search")


@pytest.mark.django_db(transaction=True)
def test_it_keeps_typed_inquiry_items_across_the_reveal_and_asks_what_it_cannot_tell(
    page, live_server, screenshot, organization, owner
):
    company = make_company(organization, responsible_person="山田 花子",
                           registered_email="hanako@example.jp")  # fmt: skip
    worker = make_worker(organization, name="技能者 一郎", ccus_id="12345678901234",
                         address="大阪府大阪市1-1", company=company)  # fmt: skip
    sign_in_browser(page, live_server, owner)
    page.set_viewport_size(DESKTOP)
    page.goto(f"/workers/{worker.uuid}/recovery/")
    page.get_by_label("登録メールアドレス（分からない、または受信できない）").check()
    page.get_by_role("button", name="やることを表示する").click()
    page.get_by_label("変更希望メールアドレス").fill("ichiro.own@example.jp")
    page.get_by_label("使用できない理由").fill("退職した社員の共有アドレスのため")
    page.get_by_role("button", name="保存されている値を表示してコピーする").click()
    assert page.get_by_label("変更希望メールアドレス").input_value() == "ichiro.own@example.jp"
    assert page.get_by_label("使用できない理由").input_value() == "退職した社員の共有アドレスのため"
    assert "12345678901234" in page.locator("#items").inner_text()
    screenshot("office-recovery-typed-kept")

    lost = make_worker(organization, name="技能者 二郎", company=company)
    page.goto(f"/workers/{lost.uuid}/recovery/")
    page.get_by_label("ID", exact=True).check()
    page.get_by_role("button", name="やることを表示する").click()
    assert "登録責任者 山田 花子" in page.locator("#answers").inner_text()
    page.get_by_label("はい").check()
    page.get_by_role("button", name="回答する").click()
    assert "はい（ご回答のとおり）" in page.locator("#answers").inner_text()
    page.set_viewport_size(PHONE)
    screenshot("office-recovery-choice-d-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 420
