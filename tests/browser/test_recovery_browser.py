"""A worker's registered email is unknown: fill CCUS's 12 items, copy them, print the sheet."""

import io

import pytest
from pypdf import PdfReader

from tests.console import sign_in
from tests.factories import SECRETS, make_secret_worker


@pytest.mark.django_db(transaction=True)
def test_it_fills_copies_and_prints_the_email_inquiry(
    page, live_server, screenshot, organization, owner
):
    worker = make_secret_worker(organization)
    owner.full_name = "事務 花子"
    owner.save()
    # Sign in through a test client and hand its session cookie to the browser.
    from django.test import Client

    client = Client()
    sign_in(client, owner)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )

    page.goto(f"/workers/{worker.uuid}/")
    page.get_by_role("link", name="CCUSにログインできない").click()
    page.get_by_label("登録メールアドレス（分からない、または受信できない）").check()
    page.get_by_label("CCUSカード（建設キャリアアップカード）").check()
    page.get_by_role("button", name="やることを表示する").click()
    assert "お問い合わせフォームで登録メールアドレスを変更します" in page.locator("h1").inner_text()
    assert page.locator("[data-item]").count() == 12
    assert SECRETS["address"] not in page.content()

    page.get_by_role("button", name="保存されている値を表示してコピーする").click()
    page.get_by_label("変更希望メールアドレス").fill("taro.own@example.jp")
    page.get_by_label("使用できない理由").fill("退職した社員の共有アドレスのため")
    page.get_by_label("ログイン可能か").fill("ログインできない")
    page.get_by_role("button", name="すべての項目をコピー").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    lines = copied.splitlines()
    assert len(lines) == 12
    assert lines[1] == f"技能者ID: {SECRETS['ccus_id']}"
    assert lines[4] == "生年月日（西暦）: 1981-02-03"
    assert lines[6] == "変更希望メールアドレス: taro.own@example.jp"
    assert lines[9] == f"会社名: {organization.name}"
    assert lines[10] == "ご担当者名: 事務 花子"
    screenshot("recovery-email-unknown")

    page.get_by_role("link", name="復旧用シート（印刷用）").click()
    page.get_by_role("button", name="保存されている秘密の値も入れて印刷する").click()
    page.emulate_media(media="print")
    screenshot("recovery-sheet")
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
    # Text extraction may split a run of characters with spaces or line breaks.
    text = "".join(p.extract_text() for p in pdf.pages).replace(" ", "").replace("\n", "")
    for expected in (
        "技能者ID",
        "登録住所",
        "生年月日",
        "登録済メールアドレス",
        "変更希望メールアドレス",
        SECRETS["ccus_id"],
        SECRETS["registered_email"],
        "1981-02-03",
    ):
        assert expected in text, expected
    assert len(pdf.pages) <= 2
