"""The member's calendar page (make, replace, stop the address) and the feed itself."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ccus.calendar.feed import firm_calendar
from ccus.calendar.models import CalendarFeed
from ccus.calendar.services import calendar_feed_for, calendar_feed_issue, calendar_feed_revoke
from vault.firms.permissions import require_membership


@never_cache
def calendar_view(request: HttpRequest) -> HttpResponse:
    """Show whether the member has a feed; make or replace it (address shown once), or stop it."""
    membership = require_membership(request)
    if request.method == "POST" and request.POST.get("action") == "stop":
        if calendar_feed_revoke(membership=membership, request=request):
            messages.success(request, _("The calendar address was stopped."))
        return redirect("ccus:calendar")
    url = ""
    if request.method == "POST":
        token = calendar_feed_issue(
            membership=membership, language=translation.get_language(), request=request
        )
        url = request.build_absolute_uri(reverse("ccus:calendar-feed", args=[token]))
    feed = CalendarFeed.objects.filter(membership=membership).first()
    response = render(request, "ccus/calendar/page.html", {"feed": feed, "url": url})
    response["Cache-Control"] = "no-store"
    return response


@login_not_required
@require_GET
def calendar_feed_view(request: HttpRequest, token: str) -> HttpResponse:
    """The iCalendar feed a calendar app subscribes to: names and dates, never an ID."""
    feed = calendar_feed_for(token)
    if feed is None:
        raise Http404("No such calendar")
    with translation.override(feed.language):
        body = firm_calendar(feed.organization)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="ccus-vault.ics"'
    response["Cache-Control"] = "private, max-age=0, must-revalidate"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
