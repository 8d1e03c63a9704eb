"""URLs of the console."""

from django.urls import path

from ccus.accounts.urls import urlpatterns as accounts_urls
from ccus.health.urls import urlpatterns as health_urls
from ccus.oversight.urls import urlpatterns as oversight_urls
from ccus.recovery.urls import urlpatterns as recovery_urls
from ccus.reminders.urls import urlpatterns as reminders_urls
from ccus.views import rosters

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
    *oversight_urls,
]
