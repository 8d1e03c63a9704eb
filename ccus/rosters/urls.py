"""URLs of roster imports and exports and of the owners' full backup."""

from django.urls import path

from ccus.rosters import views

urlpatterns = [
    path("workers/import/", views.import_upload, name="import"),
    path("workers/export/", views.roster_export, name="roster-export"),
    path("backup/", views.backup_export, name="backup"),
    path("imports/<uuid:uuid>/", views.import_job, name="import-job"),
    path("imports/<uuid:uuid>/preview/", views.import_preview, name="import-preview"),
    path("imports/<uuid:uuid>/mapping/", views.import_mapping, name="import-mapping"),
    path("imports/<uuid:uuid>/confirm/", views.import_confirm, name="import-confirm"),
    path("imports/<uuid:uuid>/errors/", views.import_errors, name="import-errors"),
    path("imports/<uuid:uuid>/accept/", views.import_accept_id, name="import-accept"),
]
