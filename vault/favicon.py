"""The site icon at /favicon.ico, which browsers ask for on every page whatever the page links."""

from functools import cache

from django.contrib.auth.decorators import login_not_required
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET


@cache
def _icon() -> bytes:
    with open(finders.find("favicon.ico"), "rb") as icon:
        return icon.read()


@login_not_required
@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Answer with the site icon, cached for a day."""
    response = HttpResponse(_icon(), content_type="image/x-icon")
    response["Cache-Control"] = "public, max-age=86400"
    return response
