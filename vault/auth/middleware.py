"""Session idle timeout and the second factor required of owners and admins."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from vault.firms.models import Membership, Role
from vault.firms.permissions import request_memberships

SECOND_FACTOR_ROLES = (Role.OWNER, Role.ADMIN)

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


def needs_second_factor(user, memberships: list | None = None) -> bool:
    """Tell whether the user must use a second factor: staff, or an owner or admin of a firm."""
    if user.is_staff or user.is_superuser:
        return True
    if memberships is not None:
        return any(m.role in SECOND_FACTOR_ROLES for m in memberships)
    return Membership.objects.filter(user=user, role__in=SECOND_FACTOR_ROLES).exists()


class RequireTwoFactorMiddleware:
    """Send staff, owners and admins to set up or enter their second factor before anything else."""

    EXEMPT = ("two_factor_setup", "two_factor_verify", "logout", "set_language", "healthz",
              "healthz-live", "healthz-ready", "metrics", "favicon")  # fmt: skip
    # Verifying with a passkey happens before the user is verified; registering does not.
    EXEMPT_PREFIXES = ("/webauthn/authentication/", "/webauthn/jsi18n/")

    def __init__(self, get_response) -> None:
        self.get_response = get_response
        self.exempt_paths: frozenset[str] | None = None

    def __call__(self, request):
        if self.exempt_paths is None:  # URLs are known only once the first request arrives
            self.exempt_paths = frozenset(reverse(name) for name in self.EXEMPT)
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and request.path not in self.exempt_paths
            and not request.path.startswith(settings.STATIC_URL)
            and not request.path.startswith(self.EXEMPT_PREFIXES)
            # The memberships the page needs anyway: one query for both.
            and needs_second_factor(user, request_memberships(request))
        ):
            return redirect("two_factor_verify")
        return self.get_response(request)
