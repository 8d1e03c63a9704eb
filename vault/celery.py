"""The Celery app; settings come from Django settings prefixed CELERY_."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vault.settings")

app = Celery("vault")
app.config_from_object("django.conf:settings", namespace="CELERY")


@app.on_after_configure.connect
def name_redbeat_settings_as_redbeat_reads_them(sender, **kwargs) -> None:
    """Copy CELERY_REDBEAT_* to redbeat_*: RedBeat looks for its settings under their own names
    only, and would otherwise fall back to its defaults (key prefix, lock timeout) unseen."""
    prefix = "CELERY_REDBEAT_"
    sender.conf.update(
        {name.removeprefix("CELERY_").lower(): sender.conf[name]
         for name in list(sender.conf.keys()) if name.startswith(prefix)}
    )  # fmt: skip


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
        "ccus.recovery",
    ]
)
