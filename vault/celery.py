"""The Celery app; settings come from Django settings prefixed CELERY_."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vault.settings")

app = Celery("vault")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(
    [
        "vault.firms",
        "vault.crypto",
        "ccus.accounts",
        "ccus.handoff",
        "ccus.health",
        "ccus.reminders",
        "ccus.oversight",
        "ccus.rosters",
        "ccus.handoff",
        "ccus.health",
        "ccus.recovery",
    ]
)
