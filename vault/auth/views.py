"""Sign-in, second factor and re-authentication views."""

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login
from django_otp import match_token
from django_otp_webauthn.models import WebAuthnCredential

from vault.audit.services import audit_record
from vault.auth.reauth import mark_reauthenticated
from vault.auth.two_factor import (
    confirm_totp_device,
    has_confirmed_totp,
    manual_key,
    pending_totp_device,
    qr_code_svg,
)

REAUTH_FAILURES_KEY = "reauth_failures"
MAX_REAUTH_FAILURES = 5


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=gettext_lazy("Email address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )


class LoginView(auth_views.LoginView):
    form_class = EmailAuthenticationForm
    template_name = "vault/auth/login.html"
    redirect_authenticated_user = True


class CodeForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class ReauthForm(forms.Form):
    secret = forms.CharField(
        label=gettext_lazy("Your password, or the 6-digit code of your authenticator app"),
        widget=forms.PasswordInput(attrs={"autofocus": True, "autocomplete": "current-password"}),
    )


def _safe_next(request: HttpRequest, default: str = "ccus:dashboard") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse(default)


def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Show the QR code of a new authenticator and confirm it with a first code."""
    if has_confirmed_totp(request.user) and not request.user.is_verified():
        return redirect("two_factor_verify")
    device = pending_totp_device(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            codes = confirm_totp_device(device)
            otp_login(request, device)
            mark_reauthenticated(request)
            audit_record(action="two_factor.setup", actor=request.user, request=request)
            return render(request, "vault/auth/backup_codes.html", {"codes": codes})
        form.add_error("token", _("The code did not match. Enter the 6 digits the app shows now."))
    context = {"form": form, "qr_svg": qr_code_svg(device), "manual_key": manual_key(device)}
    return render(request, "vault/auth/two_factor_setup.html", context)


def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """Ask for the authenticator code (or a backup code) after the password."""
    if not has_confirmed_totp(request.user):
        return redirect("two_factor_setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"].replace(" ", ""))
        if device is not None:
            otp_login(request, device)
            mark_reauthenticated(request)
            return redirect(_safe_next(request))
        form.add_error("token", _("The code did not match. Try the code the app shows now."))
    has_passkey = WebAuthnCredential.objects.filter(user=request.user, confirmed=True).exists()
    context = {"form": form, "has_passkey": has_passkey}
    return render(request, "vault/auth/two_factor_verify.html", context)


def reauthenticate(request: HttpRequest) -> HttpResponse:
    """Confirm the user's identity again before a secret is shown."""
    form = ReauthForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        secret = form.cleaned_data["secret"]
        if request.user.check_password(secret) or match_token(request.user, secret.strip()):
            mark_reauthenticated(request)
            request.session.pop(REAUTH_FAILURES_KEY, None)
            messages.success(request, _("Confirmed. You can show values for the next 5 minutes."))
            return redirect(_safe_next(request))
        failures = request.session.get(REAUTH_FAILURES_KEY, 0) + 1
        request.session[REAUTH_FAILURES_KEY] = failures
        if failures >= MAX_REAUTH_FAILURES:
            audit_record(action="reauth.locked_out", actor=request.user, request=request)
            logout(request)
            messages.error(request, _("Too many wrong attempts. Sign in again."))
            return redirect("login")
        form.add_error("secret", _("That password or code is not correct."))
    return render(
        request, "vault/auth/reauthenticate.html", {"form": form, "next": _safe_next(request)}
    )


login_view = login_not_required(LoginView.as_view())
logout_view = auth_views.LogoutView.as_view()
