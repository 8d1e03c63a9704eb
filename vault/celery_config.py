"""Celery's settings: the broker, delivery guarantees and what beat runs when (Asia/Tokyo)."""

from pathlib import Path

from celery.schedules import crontab

BEAT_SCHEDULE = {
    # Weekdays at 09:00 JST; the task itself skips Japanese public holidays.
    "plan-daily-reminders": {
        "task": "ccus.reminders.tasks.plan_daily_reminders",
        "schedule": crontab(hour=9, minute=0, day_of_week="mon-fri"),
    },
    "sweep-reminders": {"task": "ccus.reminders.tasks.sweep_reminders", "schedule": 300.0},
    "sweep-oversight-digests": {
        "task": "ccus.oversight.tasks.sweep_oversight_digests",
        "schedule": 300.0,
    },
    # One-time links to a worker's login close (and wipe their ciphertext) when 72 hours pass.
    "expire-handoff-links": {"task": "ccus.handoff.tasks.expire_handoff_links", "schedule": 900.0},
    # Nightly, after the backup: an account in the trash for 30 days is deleted for good.
    "purge-trash": {
        "task": "ccus.accounts.tasks.purge_trash",
        "schedule": crontab(hour=3, minute=15),
    },
    # Mondays at 08:55 JST: each firm's own readiness of the week, for its health report.
    "snapshot-health": {
        "task": "ccus.health.tasks.snapshot_health",
        "schedule": crontab(hour=8, minute=55, day_of_week="mon"),
    },
    # Nightly: open every encrypted value for its record; the health report shows what did not.
    "verify-encrypted-values": {
        "task": "vault.crypto.tasks.verify_encrypted_values",
        "schedule": crontab(hour=3, minute=30),
    },
    # Daily at 04:10 JST: a recovery nobody finished within 14 days is closed as abandoned.
    "abandon-stale-recoveries": {
        "task": "ccus.recovery.tasks.abandon_stale_recoveries",
        "schedule": crontab(hour=4, minute=10),
    },
    # Mondays at 09:00 JST: what changed at each subcontractor and what is at risk.
    "weekly-oversight": {
        "task": "ccus.oversight.tasks.plan_weekly_oversight",
        "schedule": crontab(hour=9, minute=0, day_of_week="mon"),
    },
}


def celery_settings(redis_url: str, var_dir: Path, beat_lock_seconds: int = 60) -> dict:
    """Return the CELERY_* settings: Redis when redis_url is set, else kombu's filesystem broker."""
    if redis_url:
        broker = {
            "CELERY_BROKER_URL": redis_url,
            "CELERY_BROKER_TRANSPORT_OPTIONS": {
                "socket_connect_timeout": 3,
                "socket_timeout": 10,
                "visibility_timeout": 3600,
            },
            # Beat keeps its schedule in Redis and holds a lock there: a second beat started by
            # mistake (on this host or another) waits, and takes over only if the first one dies.
            "CELERY_BEAT_SCHEDULER": "redbeat.RedBeatScheduler",
            "CELERY_REDBEAT_REDIS_URL": redis_url,
            "CELERY_REDBEAT_REDIS_OPTIONS": {"socket_connect_timeout": 3, "socket_timeout": 10},
            "CELERY_REDBEAT_KEY_PREFIX": "ccus-vault:beat:",
            "CELERY_REDBEAT_LOCK_TIMEOUT": beat_lock_seconds,
            "CELERY_BEAT_MAX_LOOP_INTERVAL": max(1, beat_lock_seconds // 5),
        }
    else:
        queue = str(var_dir / "broker" / "queue")
        broker = {
            "CELERY_BROKER_URL": "filesystem://",
            "CELERY_BROKER_TRANSPORT_OPTIONS": {
                "data_folder_in": queue,
                "data_folder_out": queue,
                "control_folder": str(var_dir / "broker" / "control"),
                "store_processed": False,
            },
        }
    return {
        **broker,
        "CELERY_TASK_ACKS_LATE": True,
        "CELERY_TASK_REJECT_ON_WORKER_LOST": True,
        "CELERY_WORKER_PREFETCH_MULTIPLIER": 1,
        "CELERY_TASK_SERIALIZER": "json",
        "CELERY_RESULT_SERIALIZER": "json",
        "CELERY_ACCEPT_CONTENT": ["json"],
        "CELERY_TASK_IGNORE_RESULT": True,
        "CELERY_TASK_TIME_LIMIT": 300,
        "CELERY_TASK_SOFT_TIME_LIMIT": 240,
        "CELERY_TIMEZONE": "Asia/Tokyo",
        "CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP": True,
        # Workers log through LOGGING (JSON in production), not Celery's own format.
        "CELERY_WORKER_HIJACK_ROOT_LOGGER": False,
        "CELERY_BEAT_SCHEDULE": BEAT_SCHEDULE,
        "CELERY_BEAT_SCHEDULE_FILENAME": str(var_dir / "celerybeat-schedule"),
    }
