"""URLs of the calendar page and of the feed calendar apps subscribe to."""

from django.urls import path

from ccus.calendar import views

urlpatterns = [
    path("calendar/", views.calendar_view, name="calendar"),
    path("calendar/<str:token>.ics", views.calendar_feed_view, name="calendar-feed"),
]
