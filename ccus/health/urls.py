"""URL of the health report."""

from django.urls import path

from ccus.health import views

urlpatterns = [path("", views.dashboard, name="dashboard")]
