"""Session idle timeout and the second factor required of owners and admins."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from vault.firms.models import Membership, Role

IDLE_KEY = "last_seen"


class IdleTimeoutMiddleware:
    """Sign out a session that has been idle longer than SESSION_IDLE_SECONDS."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(IDLE_KEY, now)
            if now - last_seen > settings.SESSION_IDLE_SECONDS:
                logout(request)
                messages.info(request, _("You were signed out after a period of inactivity."))
                return redirect(settings.LOGIN_URL)
            # Writing the session on every request would cost a query each time: a minute's
            # precision is enough for an idle timeout.
            if now - last_seen >= 60 or IDLE_KEY not in request.session:
                request.session[IDLE_KEY] = now
        return self.get_response(request)


def needs_second_factor(user) -> bool:
    """Tell whether the user must use a second factor: staff, or an owner or admin of a firm."""
    if user.is_staff or user.is_superuser:
        return True
    return Membership.objects.filter(user=user, role__in=[Role.OWNER, Role.ADMIN]).exists()


class RequireTwoFactorMiddleware:
    """Send owners and admins to set up or enter their TOTP code before anything else."""

    EXEMPT = ("two_factor_setup", "two_factor_verify", "logout", "set_language", "healthz")
    # Verifying with a passkey happens before the user is verified; registering does not.
    EXEMPT_PREFIXES = ("/webauthn/authentication/", "/webauthn/jsi18n/")

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and request.path not in {reverse(name) for name in self.EXEMPT}
            and not request.path.startswith(settings.STATIC_URL)
            and not request.path.startswith(self.EXEMPT_PREFIXES)
            and needs_second_factor(user)
        ):
            return redirect("two_factor_verify")
        return self.get_response(request)
