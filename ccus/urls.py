"""URLs of the console, gathered from each capability under one namespace."""

from ccus.accounts.urls import urlpatterns as accounts_urls
from ccus.api.urls import urlpatterns as api_urls
from ccus.calendar.urls import urlpatterns as calendar_urls
from ccus.handoff.urls import urlpatterns as handoff_urls
from ccus.health.urls import urlpatterns as health_urls
from ccus.oversight.urls import urlpatterns as oversight_urls
from ccus.recovery.urls import urlpatterns as recovery_urls
from ccus.reminders.urls import urlpatterns as reminders_urls
from ccus.rosters.urls import urlpatterns as rosters_urls

app_name = "ccus"

urlpatterns = [
    *health_urls,
    *accounts_urls,
    *rosters_urls,
    *recovery_urls,
    *handoff_urls,
    *calendar_urls,
    *api_urls,
    *reminders_urls,
    *oversight_urls,
]
