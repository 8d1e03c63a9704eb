"""URLs of roster imports and exports and of the owners' full backup."""

from django.urls import path

from ccus.rosters import backup_views, views

urlpatterns = [
    path("workers/import/", views.import_upload, name="import"),
    path("workers/export/", views.roster_export, name="roster-export"),
    path("backup/", backup_views.backup_export, name="backup"),
    path("backup/restore/", backup_views.restore_upload, name="restore"),
    path("backup/restore/<uuid:uuid>/", backup_views.restore_detail, name="restore-detail"),
    path(
        "backup/restore/<uuid:uuid>/confirm/", backup_views.restore_confirm, name="restore-confirm"
    ),
    path("backup/restore/<uuid:uuid>/cancel/", backup_views.restore_cancel, name="restore-cancel"),
    path("imports/<uuid:uuid>/", views.import_job, name="import-job"),
    path("imports/<uuid:uuid>/preview/", views.import_preview, name="import-preview"),
    path("imports/<uuid:uuid>/mapping/", views.import_mapping, name="import-mapping"),
    path("imports/<uuid:uuid>/confirm/", views.import_confirm, name="import-confirm"),
    path("imports/<uuid:uuid>/errors/", views.import_errors, name="import-errors"),
    path("imports/<uuid:uuid>/accept/", views.import_accept_id, name="import-accept"),
]
