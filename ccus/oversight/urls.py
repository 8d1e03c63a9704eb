"""URLs of engagements, the oversight rollup and drill-down, and sites."""

from django.urls import path

from ccus.oversight import views

urlpatterns = [
    path("engagements/", views.engagements_view, name="engagements"),
    path("engagements/<uuid:uuid>/answer/", views.engagement_answer_view, name="engagement-answer"),
    path("engagements/<uuid:uuid>/end/", views.engagement_end_view, name="engagement-end"),
    path("oversight/", views.oversight_view, name="oversight"),
    path("oversight/sites/", views.sites_view, name="sites"),
    path("oversight/sites/<uuid:uuid>/", views.sites_view, name="site"),
    path("oversight/sites/<uuid:uuid>/roster/", views.site_roster_view, name="site-roster"),
    path(
        "oversight/sites/<uuid:uuid>/roster/change/",
        views.site_roster_change_view,
        name="site-roster-change",
    ),
    path("oversight/<uuid:uuid>/", views.oversight_detail_view, name="oversight-detail"),
]
