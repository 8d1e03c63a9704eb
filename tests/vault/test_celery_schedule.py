"""Every task beat sends is one the workers know, so none is dropped as unregistered."""

from vault.celery import app
from vault.celery_config import BEAT_SCHEDULE


def test_every_scheduled_task_is_registered_with_the_workers():
    app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in BEAT_SCHEDULE.values()}
    assert scheduled - set(app.tasks) == set()
    assert "ccus.accounts.tasks.purge_trash" in scheduled


def test_beat_reads_its_redis_key_prefix_and_lock_timeout_as_set(tmp_path):
    import warnings

    from celery import Celery
    from redbeat.schedulers import RedBeatConfig

    from vault.celery import name_redbeat_settings_as_redbeat_reads_them
    from vault.celery_config import celery_settings

    beat = Celery("beat-settings")
    beat.on_after_configure.connect(name_redbeat_settings_as_redbeat_reads_them)
    beat.config_from_object(
        celery_settings("redis://127.0.0.1:6379/15", tmp_path, 45), namespace="CELERY"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no fallback to the broker's settings
        config = RedBeatConfig(beat)
    assert (config.key_prefix, config.redis_url, config.lock_timeout) == (
        "ccus-vault:beat:",
        "redis://127.0.0.1:6379/15",
        45,
    )
