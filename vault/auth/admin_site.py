"""The Django admin behind the same second factor as the console, with the operator's report."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminSite

from vault.auth.models import User
from vault.crypto.firm_keys import keys_alias
from vault.crypto.models import FirmKey, UnreadableValue
from vault.crypto.providers import master_keys


def second_factors(user: User) -> list[str]:
    """Return the kinds of second factor a user has confirmed (for the operator's report)."""
    from django_otp import devices_for_user

    return sorted({type(device)._meta.verbose_name for device in devices_for_user(user)})


class VaultAdminSite(OTPAdminSite):
    """Only a user verified by a second factor (TOTP or passkey) gets in; secrets stay masked."""

    site_header = _("CCUS Vault administration")
    site_title = _("CCUS Vault administration")

    def __init__(self, name: str = "admin") -> None:
        super().__init__(name)

    def get_urls(self) -> list:
        report = path("operator-health/", self.admin_view(self.operator_health), name="health")
        return [report, *super().get_urls()]

    def operator_health(self, request: HttpRequest) -> HttpResponse:
        """Show the operator's health report: superusers, keys, unreadable values."""
        if not request.user.is_superuser:
            raise PermissionDenied
        keys = master_keys()
        firm_keys = FirmKey.objects.using(keys_alias()).aggregate(
            total=Count("id"), stale=Count("id", filter=~Q(master_key_id=keys.current_key_id))
        )
        superusers = [
            (user, second_factors(user))
            for user in User.objects.filter(is_superuser=True).order_by("email")
        ]
        context = {
            **self.each_context(request),
            "title": _("Operator health report"),
            "superusers": superusers,
            "provider": settings.VAULT_KEY_PROVIDER,
            "master_key_id": keys.current_key_id,
            "firm_keys": firm_keys,
            "keys_apart": "keys" in settings.DATABASES,
            "unreadable": UnreadableValue.objects.count(),
            "reads_old_format": settings.VAULT_READ_OLD_FORMAT,
        }
        return TemplateResponse(request, "vault/admin/operator_health.html", context)
