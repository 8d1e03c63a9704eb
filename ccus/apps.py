"""App configuration of the CCUS records."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CcusConfig(AppConfig):
    name = "ccus"
    verbose_name = _("CCUS accounts")
