"""URLs of the reminder pages: confirm from an email, preferences, the delivery log."""

from django.urls import path

from ccus.reminders import views

urlpatterns = [
    path("reminders/confirm/<str:token>/", views.reminders_confirm, name="reminders-confirm"),
    path("reminders/preferences/", views.reminders_preferences, name="reminders-preferences"),
    path("reminders/log/", views.reminders_log, name="reminders-log"),
    path("reminders/resend/", views.reminders_resend, name="reminders-resend"),
]
