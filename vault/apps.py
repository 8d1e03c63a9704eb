"""App configuration of the security core."""

from pathlib import Path

from django.apps import AppConfig
from django.conf import settings
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class VaultConfig(AppConfig):
    name = "vault"
    verbose_name = _("Vault")

    def ready(self) -> None:
        from vault.crypto import checks  # noqa: F401  (registers the system checks)

        if settings.CELERY_BROKER_URL.startswith("filesystem:"):
            # kombu's filesystem transport expects its folders to exist.
            options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
            for key in ("data_folder_in", "data_folder_out", "control_folder"):
                Path(options[key]).mkdir(parents=True, exist_ok=True)


class VaultAdminConfig(admin_apps.AdminConfig):
    """The admin app, with the site that asks for the second factor."""

    default = False  # named in INSTALLED_APPS in place of django.contrib.admin
    default_site = "vault.auth.admin_site.VaultAdminSite"
