"""URLs of the console."""

from django.urls import path

from ccus.models import Company, Worker
from ccus.views import console, oversight, recovery, reminders, reveal, rosters

app_name = "ccus"


def account_urls(prefix: str, model) -> list:
    """Return the list, create, confirm, detail, edit and reveal URLs of one kind of account."""
    kw = {"model": model}
    return [
        path(f"{prefix}/", console.account_list_view, kw, name=prefix),
        path(f"{prefix}/new/", console.account_create_view, kw, name=f"{prefix}-create"),
        path(f"{prefix}/confirm/", console.account_confirm_view, kw, name=f"{prefix}-confirm"),
        path(f"{prefix}/<uuid:uuid>/", console.account_detail, kw, name=f"{prefix}-detail"),
        path(f"{prefix}/<uuid:uuid>/edit/", console.account_edit_view, kw, name=f"{prefix}-edit"),
        path(f"{prefix}/<uuid:uuid>/reveal/", reveal.account_reveal, kw, name=f"{prefix}-reveal"),
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
    path("", console.dashboard, name="dashboard"),
    *account_urls("workers", Worker),
    *account_urls("companies", Company),
    path("workers/<uuid:uuid>/left/", console.worker_left_view, name="workers-left"),
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
