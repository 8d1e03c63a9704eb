"""Every task beat sends is one the workers know, so none is dropped as unregistered."""

from vault.celery import app
from vault.celery_config import BEAT_SCHEDULE


def test_every_scheduled_task_is_registered_with_the_workers():
    app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in BEAT_SCHEDULE.values()}
    assert scheduled - set(app.tasks) == set()
    assert "ccus.accounts.tasks.purge_trash" in scheduled
