"""Root URLs."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from vault.audit import views as audit_log
from vault.auth import passkeys
from vault.auth import views as vault_auth
from vault.favicon import favicon
from vault.firms import views as firm_views
from vault.health import live, ready
from vault.ops.metrics import metrics

password_set = login_not_required(
    auth_views.PasswordResetConfirmView.as_view(
        template_name="vault/auth/password_set.html", success_url="/login/"
    )
)

urlpatterns = [
    path("healthz", ready, name="healthz"),
    path("healthz/live", live, name="healthz-live"),
    path("healthz/ready", ready, name="healthz-ready"),
    path("metrics", metrics, name="metrics"),
    path("favicon.ico", favicon, name="favicon"),
    path("login/", vault_auth.login_view, name="login"),
    path("logout/", vault_auth.logout_view, name="logout"),
    path("account/two-factor/setup/", vault_auth.two_factor_setup, name="two_factor_setup"),
    path("account/two-factor/", vault_auth.two_factor_verify, name="two_factor_verify"),
    path("account/confirm/", vault_auth.reauthenticate, name="reauthenticate"),
    path("account/passkeys/", passkeys.passkeys, name="passkeys"),
    path("account/passkeys/<int:pk>/remove/", passkeys.passkey_remove, name="passkey_remove"),
    path("webauthn/", include((passkeys.urlpatterns, "otp_webauthn"))),
    path("account/set-password/<uidb64>/<token>/", password_set, name="password_set"),
    path("language/", login_not_required(set_language), name="set_language"),
    path("firm/switch/", firm_views.switch_organization, name="switch_organization"),
    path("firm/members/", firm_views.members, name="members"),
    path("firm/members/<uuid:uuid>/remove/", firm_views.member_remove, name="member_remove"),
    path("firm/policy/", firm_views.policy, name="policy"),
    path("firm/audit/", audit_log.audit_log, name="audit_log"),
    path("admin/", admin.site.urls),
    path("", include("ccus.urls")),
]
