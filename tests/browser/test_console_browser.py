"""An owner signs in with TOTP, adds a worker, is refused a bad ID, reveals, confirms."""

import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from ccus.accounts.models import Worker
from tests.factories import make_company, make_member

PASSWORD = "correct-horse-battery"


def _code(user) -> str:
    device = TOTPDevice.objects.get(user=user)
    return f"{totp(device.bin_key):06d}"


@pytest.mark.django_db(transaction=True)
def test_it_walks_an_owner_through_the_console(page, screenshot, organization):
    owner = make_member(organization, "owner")
    make_company(organization, name="協力建設株式会社")
    page.goto("/")
    page.get_by_label("メールアドレス").fill(owner.email)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    # First sign-in of an owner: set up the authenticator app from the QR code.
    page.wait_for_url("**/account/two-factor/setup/")
    assert page.locator(".qr svg").is_visible()
    page.get_by_label("コード").fill(_code(owner))
    page.get_by_role("button", name="確認する").click()
    assert page.locator("#backup-codes").inner_text().count("\n") >= 9
    page.get_by_role("link", name="次へ進む").click()
    screenshot("dashboard")
    assert "健康診断" in page.locator("h1").inner_text()

    # A 13-digit ID is refused in Japanese, and what was typed stays in the form.
    page.get_by_role("link", name="技能者").first.click()
    page.get_by_role("link", name="アカウントを追加").click()
    page.get_by_label("氏名・名称").fill("山田 太郎")
    page.get_by_label("フリガナ").fill("ヤマダ タロウ")
    page.get_by_label("技能者ID").fill("１２３４５６７８９０１２３")
    page.get_by_label("パスワード", exact=True).fill("ccus-pass-1")
    page.get_by_role("button", name="保存する").click()
    assert page.get_by_text("13桁です。Excelを通った番号なら").is_visible()
    assert page.get_by_role("button", name="01234567890123 にして保存").is_visible()
    assert page.get_by_label("氏名・名称").input_value() == "山田 太郎"
    assert page.get_by_label("技能者ID").input_value() == "１２３４５６７８９０１２３"

    # Full-width digits with spaces are accepted and stored as 14 ASCII digits.
    page.get_by_label("技能者ID").fill("１２３４ ５６７８ ９０１２ ３４")
    page.get_by_label("パスワード", exact=True).fill("ccus-pass-1")
    page.get_by_role("button", name="保存する").click()
    page.wait_for_url(re.compile(r".*/workers/[0-9a-f-]{36}/$"))
    assert page.get_by_text("•••• •••• ••12 34").is_visible()
    assert Worker.objects.get(name="山田 太郎").ccus_id == "12345678901234"
    screenshot("worker")

    # Showing the password needs the owner's password again once the last confirmation
    # (the TOTP code at sign-in) is older than 5 minutes.
    # Once confirmed, the page comes back with the password shown in place.
    _expire_reauthentication(owner)
    page.locator("#secret-password").get_by_role("button", name="表示").click()
    page.wait_for_url("**/account/confirm/**")
    page.get_by_label("ご自分のパスワード、または認証アプリの6桁のコード").fill(PASSWORD)
    page.get_by_role("button", name="確認する").click()
    assert page.locator("#revealed-password").inner_text() == "ccus-pass-1"
    page.locator("#secret-password").get_by_role("button", name="コピー").click()
    page.wait_for_function("async () => (await navigator.clipboard.readText()) === 'ccus-pass-1'")

    page.get_by_role("button", name="内容は正しい（確認済みにする）").click()
    assert page.get_by_text("1件を確認済みにしました。").is_visible()
    assert Worker.objects.get(name="山田 太郎").last_confirmed_by == owner

    # On a phone the list stacks into rows that fit the screen.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/workers/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("worker-list-phone")


def _expire_reauthentication(user) -> None:
    """Forget the user's recent identity confirmation in every session of theirs."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.sessions.models import Session

    from vault.auth.reauth import SESSION_KEY

    # Through the session engine, so a session cached in Redis (cached_db) changes too.
    engine = import_module(settings.SESSION_ENGINE)
    for key in Session.objects.values_list("session_key", flat=True):
        session = engine.SessionStore(session_key=key)
        if session.get("_auth_user_id") == str(user.pk) and SESSION_KEY in session:
            session[SESSION_KEY] = 0
            session.save()
