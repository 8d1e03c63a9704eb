"""URLs of one-time links: made from a worker's page, opened by the worker without signing in."""

from django.urls import path

from ccus.handoff import views

urlpatterns = [
    path("workers/<uuid:uuid>/handoff/", views.handoff_new_view, name="workers-handoff"),
    path("handoff/<uuid:uuid>/cancel/", views.handoff_revoke_view, name="handoff-revoke"),
    path("h/<uuid:uuid>/", views.handoff_open_view, name="handoff-open"),
]
