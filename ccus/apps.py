"""App configuration of the CCUS records."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CcusConfig(AppConfig):
    name = "ccus"
    verbose_name = _("CCUS accounts")

    def ready(self) -> None:
        from ccus import audit_actions
        from ccus.reminders.metrics import reminder_deliveries
        from ccus.rosters.metrics import import_jobs
        from vault.ops.metrics import register_figures

        register_figures(reminder_deliveries)
        register_figures(import_jobs)
        audit_actions.register()
