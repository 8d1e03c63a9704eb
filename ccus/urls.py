"""URLs of the console."""

from django.urls import path

from ccus.accounts.models import Company, Worker
from ccus.accounts.urls import urlpatterns as accounts_urls
from ccus.health.urls import urlpatterns as health_urls
from ccus.views import oversight, recovery, reminders, rosters

app_name = "ccus"


def recovery_urls(prefix: str, model) -> list:
    """Return the recovery and recovery-sheet URLs of one kind of account."""
    kw = {"model": model}
    return [
        path(
            f"{prefix}/<uuid:uuid>/recovery/",
            recovery.recovery_start_view,
            kw,
            name=f"{prefix}-recovery",
        ),
        path(
            f"{prefix}/<uuid:uuid>/sheet/", recovery.recovery_sheet_view, kw, name=f"{prefix}-sheet"
        ),
    ]


urlpatterns = [
    *health_urls,
    *accounts_urls,
    *recovery_urls("workers", Worker),
    *recovery_urls("companies", Company),
    path("workers/<uuid:uuid>/handover/", recovery.worker_handover_view, name="workers-handover"),
    path("recovery/", recovery.recovery_log_view, name="recovery-log"),
    path("workers/import/", rosters.import_upload, name="import"),
    path("workers/export/", rosters.roster_export, name="roster-export"),
    path("backup/", rosters.backup_export, name="backup"),
    path("imports/<uuid:uuid>/", rosters.import_job, name="import-job"),
    path("imports/<uuid:uuid>/preview/", rosters.import_preview, name="import-preview"),
    path("imports/<uuid:uuid>/mapping/", rosters.import_mapping, name="import-mapping"),
    path("imports/<uuid:uuid>/confirm/", rosters.import_confirm, name="import-confirm"),
    path("imports/<uuid:uuid>/errors/", rosters.import_errors, name="import-errors"),
    path("reminders/confirm/<str:token>/", reminders.reminders_confirm, name="reminders-confirm"),
    path("reminders/preferences/", reminders.reminders_preferences, name="reminders-preferences"),
    path("reminders/log/", reminders.reminders_log, name="reminders-log"),
    path("reminders/resend/", reminders.reminders_resend, name="reminders-resend"),
    path("engagements/", oversight.engagements_view, name="engagements"),
    path(
        "engagements/<uuid:uuid>/answer/",
        oversight.engagement_answer_view,
        name="engagement-answer",
    ),
    path("engagements/<uuid:uuid>/end/", oversight.engagement_end_view, name="engagement-end"),
    path("oversight/", oversight.oversight_view, name="oversight"),
    path("oversight/sites/", oversight.sites_view, name="sites"),
    path("oversight/sites/<uuid:uuid>/", oversight.sites_view, name="site"),
    path("oversight/sites/<uuid:uuid>/roster/", oversight.site_roster_view, name="site-roster"),
    path("oversight/<uuid:uuid>/", oversight.oversight_detail_view, name="oversight-detail"),
    path("recovery/<uuid:uuid>/", recovery.recovery_case_view, name="recovery-case"),
    path("recovery/<uuid:uuid>/show/", recovery.recovery_reveal_view, name="recovery-reveal"),
    path("recovery/<uuid:uuid>/done/", recovery.recovery_done_view, name="recovery-done"),
]
