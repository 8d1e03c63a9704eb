"""Settings of the beat test: the test settings with a schedule of seconds instead of days."""

from vault.test_settings import *  # noqa: F403

CELERY_BEAT_SCHEDULE = {
    "plan-daily-reminders": {"task": "ccus.reminders.tasks.plan_daily_reminders", "schedule": 1.0},
    "sweep-reminders": {"task": "ccus.reminders.tasks.sweep_reminders", "schedule": 1.0},
}
