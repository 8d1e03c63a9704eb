"""URLs of the API (token holders, no session) and of the owners' token page."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from ccus.api import views
from ccus.api.endpoints import api


def _without_session(urls: tuple) -> tuple:
    """The API signs in by token, not by session: let its views past the sign-in page."""
    patterns, app_name, namespace = urls
    for pattern in patterns:
        pattern.callback = login_not_required(pattern.callback)
    return patterns, app_name, namespace


urlpatterns = [
    path("api/v1/", _without_session(api.urls)),
    path("firm/api-tokens/", views.api_tokens_view, name="api-tokens"),
    path(
        "firm/api-tokens/<uuid:uuid>/revoke/", views.api_token_revoke_view, name="api-token-revoke"
    ),
]
