"""URLs of the console."""

from django.urls import path

from ccus.accounts.urls import urlpatterns as accounts_urls
from ccus.health.urls import urlpatterns as health_urls
from ccus.recovery.urls import urlpatterns as recovery_urls
from ccus.reminders.urls import urlpatterns as reminders_urls
from ccus.views import oversight, rosters

app_name = "ccus"


urlpatterns = [
    *health_urls,
    *accounts_urls,
    *recovery_urls,
    *reminders_urls,
    path("workers/import/", rosters.import_upload, name="import"),
    path("workers/export/", rosters.roster_export, name="roster-export"),
    path("backup/", rosters.backup_export, name="backup"),
    path("imports/<uuid:uuid>/", rosters.import_job, name="import-job"),
    path("imports/<uuid:uuid>/preview/", rosters.import_preview, name="import-preview"),
    path("imports/<uuid:uuid>/mapping/", rosters.import_mapping, name="import-mapping"),
    path("imports/<uuid:uuid>/confirm/", rosters.import_confirm, name="import-confirm"),
    path("imports/<uuid:uuid>/errors/", rosters.import_errors, name="import-errors"),
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
]
