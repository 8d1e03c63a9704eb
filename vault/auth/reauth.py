"""Recent re-authentication: a reveal needs the password or a code confirmed minutes ago."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

SESSION_KEY = "reauthenticated_at"


def mark_reauthenticated(request: HttpRequest) -> None:
    """Remember that the user confirmed their identity just now."""
    request.session[SESSION_KEY] = int(time.time())


def recently_reauthenticated(request: HttpRequest) -> bool:
    """Tell whether the user confirmed their identity within REAUTH_SECONDS."""
    confirmed_at = request.session.get(SESSION_KEY, 0)
    return time.time() - confirmed_at < settings.REAUTH_SECONDS


def reauth_redirect(request: HttpRequest, fallback: str) -> HttpResponseRedirect:
    """Send the user to confirm their identity, then back to the page they came from."""
    back = request.META.get("HTTP_REFERER") or ""
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = fallback
    return reauth_redirect_to(back)


def reauth_redirect_to(target: str) -> HttpResponseRedirect:
    """Send the user to confirm their identity, then on to target (a path of this site)."""
    return redirect(f"{reverse('reauthenticate')}?{urlencode({'next': target})}")
