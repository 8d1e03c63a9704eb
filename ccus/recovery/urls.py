"""URLs of the recovery assistant, the recovery sheet, the handover checklist and the log."""

from django.urls import path

from ccus.accounts.kinds import KIND
from ccus.accounts.models import Company, Worker
from ccus.recovery import handover_views, views


def account_recovery_urls(model) -> list:
    """Return the recovery and recovery-sheet URLs of one kind of account."""
    prefix, kw = KIND[model], {"model": model}
    return [
        path(
            f"{prefix}/<uuid:uuid>/recovery/",
            views.recovery_start_view,
            kw,
            name=f"{prefix}-recovery",
        ),
        path(f"{prefix}/<uuid:uuid>/sheet/", views.recovery_sheet_view, kw, name=f"{prefix}-sheet"),
    ]


urlpatterns = [
    *account_recovery_urls(Worker),
    *account_recovery_urls(Company),
    path("workers/<uuid:uuid>/left/", handover_views.worker_left_view, name="workers-left"),
    path(
        "workers/<uuid:uuid>/handover/",
        handover_views.worker_handover_view,
        name="workers-handover",
    ),
    path("recovery/", views.recovery_log_view, name="recovery-log"),
    path("recovery/<uuid:uuid>/", views.recovery_case_view, name="recovery-case"),
    path("recovery/<uuid:uuid>/show/", views.recovery_reveal_view, name="recovery-reveal"),
    path("recovery/<uuid:uuid>/done/", views.recovery_done_view, name="recovery-done"),
    path("recovery/<uuid:uuid>/answer/", views.recovery_answer_view, name="recovery-answer"),
]
