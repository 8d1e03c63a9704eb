"""The request a log line belongs to: its id, the signed-in user and the firm, never a value."""

import contextvars
import logging
import re
import time
import uuid

from django.http import HttpRequest

log = logging.getLogger("vault.request")
current_request: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar(
    "current_request", default=None
)
# A request id from the proxy is kept only when it looks like one (no room for a value).
REQUEST_ID = re.compile(r"^[A-Za-z0-9\-]{8,64}$")


def request_fields(request: HttpRequest | None) -> dict:
    """Return the request id, user id and firm id known so far, without querying anything."""
    if request is None:
        return {}
    fields = {"request_id": getattr(request, "request_id", None)}
    user = getattr(request, "user", None)
    wrapped = getattr(user, "_wrapped", user)  # do not load the user just to log it
    if wrapped is not None and getattr(wrapped, "is_authenticated", False):
        fields["user_id"] = wrapped.pk
    memberships = getattr(request, "_memberships", None)
    if memberships:
        from vault.firms.permissions import current_membership

        fields["firm_id"] = current_membership(request).organization_id
    return fields


def route_of(request: HttpRequest) -> str:
    """Return the URL pattern that served the request (`workers/<uuid:uuid>/`), never the path."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unmatched"
    return match.route or "/"


class RequestContextMiddleware:
    """Give each request an id, make it known to every log line, and log the request once."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        given = request.META.get("HTTP_X_REQUEST_ID", "")
        request.request_id = given if REQUEST_ID.match(given) else uuid.uuid4().hex
        token = current_request.set(request)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request.request_id
            log.info(
                "request method=%s route=%s status=%s",
                request.method,
                route_of(request),
                response.status_code,
                extra={
                    "method": request.method,
                    "route": route_of(request),
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            current_request.reset(token)
