"""Optional error reports to Sentry (SENTRY_DSN), with every value scrubbed before it leaves."""

from typing import Any

from vault.ops.logs import scrub

FILTERED = "[Filtered]"


def _scrub_exception(exception: dict) -> None:
    for value in exception.get("values", []):
        # The type and where it was raised, not its text: a message can quote any value.
        if value.get("value"):
            value["value"] = FILTERED
        for frame in (value.get("stacktrace") or {}).get("frames", []):
            frame.pop("vars", None)  # local variables hold the values being worked on


def scrub_event(event: dict, hint: Any = None) -> dict:
    """Keep what says where and what failed; drop or mask anything that can carry a value."""
    request = event.get("request")
    if request:
        url = str(request.get("url", "")).split("?")[0]
        event["request"] = {"method": request.get("method"), "url": url}
    if event.get("user"):
        event["user"] = {"id": event["user"].get("id")}
    event.pop("extra", None)
    if "exception" in event:
        _scrub_exception(event["exception"])
    for key in ("message", "logentry"):
        entry = event.get(key)
        if isinstance(entry, str):
            event[key] = scrub(entry)
        elif isinstance(entry, dict):
            event[key] = {"message": scrub(str(entry.get("message", ""))), "params": []}
            if entry.get("formatted"):
                event[key]["formatted"] = scrub(str(entry["formatted"]))
    breadcrumbs = event.get("breadcrumbs")
    values = breadcrumbs.get("values", []) if isinstance(breadcrumbs, dict) else breadcrumbs or []
    for crumb in values:
        scrub_breadcrumb(crumb)
    return event


def scrub_breadcrumb(crumb: dict, hint: Any = None) -> dict:
    """Keep a breadcrumb's category and masked message, never its data (SQL parameters...)."""
    crumb.pop("data", None)
    if isinstance(crumb.get("message"), str):
        crumb["message"] = scrub(crumb["message"])
    return crumb


def init_sentry(dsn: str, *, environment: str, release: str = "", transport=None) -> None:
    """Send unhandled errors of the web and the Celery tasks to Sentry, scrubbed."""
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        # No user details, bodies, SQL parameters or local variables are even collected.
        data_collection={
            "user_info": False,
            "http_bodies": [],
            "database_query_data": False,
            "stack_frame_variables": False,
        },
        before_send=scrub_event,
        before_breadcrumb=scrub_breadcrumb,
        traces_sample_rate=0,
        transport=transport,
    )
