"""What Celery beat runs when (times in Asia/Tokyo, CELERY_TIMEZONE); the settings use it."""

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
    # Mondays at 09:00 JST: what changed at each subcontractor and what is at risk.
    "weekly-oversight": {
        "task": "ccus.oversight.tasks.plan_weekly_oversight",
        "schedule": crontab(hour=9, minute=0, day_of_week="mon"),
    },
}
