"""Helpers for console tests: sign in as a member, with the second factor and re-auth done."""

import time

from django_otp.plugins.otp_totp.models import TOTPDevice

from vault.auth.middleware import needs_second_factor
from vault.auth.reauth import SESSION_KEY as REAUTH_KEY


def sign_in(client, user, *, reauthenticated: bool = True) -> None:
    """Log user in as after password and TOTP; optionally confirmed for reveals just now."""
    client.force_login(user)
    session = client.session
    if needs_second_factor(user):
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", confirmed=True)
        session["otp_device_id"] = device.persistent_id
    if reauthenticated:
        session[REAUTH_KEY] = int(time.time())
    session.save()


def hand_session_to_browser(page, live_server, user) -> None:
    """Sign user in through a test client and give its session cookie to the browser page."""
    from django.test import Client

    client = Client()
    sign_in(client, user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def sign_in_browser(page, live_server, user) -> None:
    """Sign in through a test client and hand its session cookie to the browser."""
    from django.test import Client

    client = Client()
    sign_in(client, user)
    cookie = {"name": "sessionid", "value": client.cookies["sessionid"].value}
    page.context.add_cookies([{**cookie, "url": live_server.url}])
