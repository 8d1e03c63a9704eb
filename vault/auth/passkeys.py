"""Passkeys (WebAuthn, django-otp-webauthn) as a second factor beside the authenticator app."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import JavaScriptCatalog
from django_otp_webauthn import views as webauthn
from django_otp_webauthn.helpers import WebAuthnHelper
from django_otp_webauthn.models import WebAuthnCredential

from vault.audit.services import audit_record
from vault.auth.middleware import needs_second_factor
from vault.auth.reauth import mark_reauthenticated


class PasskeyHelper(WebAuthnHelper):
    """The relying party is the site the browser is on (a host Django already allowed)."""

    def get_relying_party_domain(self) -> str:
        return settings.OTP_WEBAUTHN_RP_ID or self.request.get_host().rsplit(":", 1)[0]

    def get_relying_party_name(self) -> str:
        return "CCUS Vault"

    def get_allowed_origins(self) -> list[str]:
        if settings.OTP_WEBAUTHN_ALLOWED_ORIGINS:
            return settings.OTP_WEBAUTHN_ALLOWED_ORIGINS
        return [f"{self.request.scheme}://{self.request.get_host()}"]


class RegisterPasskey(webauthn.CompleteCredentialRegistrationView):
    def post(self, *args, **kwargs):
        response = super().post(*args, **kwargs)
        audit_record(action="passkey.register", actor=self.request.user, request=self.request)
        return response


class VerifyWithPasskey(webauthn.CompleteCredentialAuthenticationView):
    def complete_auth(self, device) -> None:
        super().complete_auth(device)
        mark_reauthenticated(self.request)


def passkeys(request: HttpRequest) -> HttpResponse:
    """List the user's passkeys and register a new one."""
    if not needs_second_factor(request.user):
        raise PermissionDenied
    keys = WebAuthnCredential.objects.filter(user=request.user).order_by("created_at")
    return render(request, "vault/auth/passkeys.html", {"passkeys": keys})


@require_POST
def passkey_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove one of the user's own passkeys."""
    passkey = get_object_or_404(WebAuthnCredential, pk=pk, user=request.user)
    passkey.delete()
    audit_record(action="passkey.remove", actor=request.user, request=request)
    messages.success(request, _("The passkey was removed."))
    return redirect("passkeys")


app_name = "otp_webauthn"
urlpatterns = [
    path(
        "registration/begin/",
        webauthn.BeginCredentialRegistrationView.as_view(),
        name="credential-registration-begin",
    ),
    path(
        "registration/complete/",
        RegisterPasskey.as_view(),
        name="credential-registration-complete",
    ),
    path(
        "authentication/begin/",
        webauthn.BeginCredentialAuthenticationView.as_view(),
        name="credential-authentication-begin",
    ),
    path(
        "authentication/complete/",
        VerifyWithPasskey.as_view(),
        name="credential-authentication-complete",
    ),
    path(
        "jsi18n/",
        JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]),
        name="js-i18n-catalog",
    ),
]
