"""An owner adds a passkey and signs in with it, in Chromium with a virtual authenticator."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from tests.factories import make_member

PASSWORD = "correct-horse-battery"


@pytest.fixture
def authenticator(page):
    """A platform authenticator (like Windows Hello or Touch ID) that always says yes."""
    session = page.context.new_cdp_session(page)
    session.send("WebAuthn.enable")
    added = session.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    yield session, added["authenticatorId"]
    session.send("WebAuthn.disable")


def _sign_in_with_password(page, user) -> None:
    page.goto("/login/")
    page.get_by_label("メールアドレス").fill(user.email)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_url("**/account/two-factor/**")


@pytest.mark.django_db(transaction=True)
def test_it_registers_a_passkey_and_signs_in_with_it(
    live_server, page, authenticator, screenshot, organization
):
    assert "localhost" in live_server.url  # a passkey needs a domain, not an IP address
    owner = make_member(organization, "owner")
    device = TOTPDevice.objects.create(user=owner, name="app", confirmed=True)
    _sign_in_with_password(page, owner)
    page.get_by_label("コード").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="次へ進む").click()
    page.wait_for_url("**/")

    page.get_by_role("link", name="パスキー").click()
    page.wait_for_url("**/account/passkeys/")
    assert page.get_by_text("パスキーはまだありません").is_visible()
    page.get_by_role("button", name="パスキーを追加").click()
    # The browser asks the authenticator, then the server; a busy machine may take a while.
    page.get_by_role("button", name="外す").wait_for(timeout=30_000)
    assert WebAuthnCredential.objects.filter(user=owner, confirmed=True).count() == 1
    screenshot("passkeys-desktop")
    session, authenticator_id = authenticator
    stored = session.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})
    assert len(stored["credentials"]) == 1

    page.get_by_role("button", name="ログアウト").click()
    _sign_in_with_password(page, owner)
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("passkey-verify-phone")
    page.get_by_role("button", name="パスキーを使う").click()
    page.wait_for_url(lambda url: "two-factor" not in url, timeout=30_000)
    assert "健康診断" in page.locator("h1").inner_text()
    screenshot("passkey-signed-in-phone")


@pytest.mark.django_db(transaction=True)
def test_it_refuses_a_passkey_sign_in_that_the_authenticator_does_not_confirm(
    live_server, page, authenticator, organization
):
    owner = make_member(organization, "owner")
    TOTPDevice.objects.create(user=owner, name="app", confirmed=True)
    _sign_in_with_password(page, owner)
    # No passkey registered: the page offers only the code, and the console stays closed.
    assert page.get_by_role("button", name="パスキーを使う").count() == 0
    page.goto("/workers/")
    assert "two-factor" in page.url
