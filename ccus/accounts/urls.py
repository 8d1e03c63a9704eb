"""URLs of the business and worker account pages."""

from django.urls import path

from ccus.accounts import fee_views, reveal, search, trash_views, views
from ccus.accounts.kinds import KIND
from ccus.accounts.models import Company, Worker


def account_urls(model) -> list:
    """Return the URLs of one kind of account: list, create, detail, edit, trash, reveal."""
    prefix, kw = KIND[model], {"model": model}
    return [
        path(f"{prefix}/", views.account_list_view, kw, name=prefix),
        path(f"{prefix}/new/", views.account_create_view, kw, name=f"{prefix}-create"),
        path(
            f"{prefix}/new/warnings/",
            views.account_field_warnings,
            kw,
            name=f"{prefix}-new-warnings",
        ),
        path(f"{prefix}/confirm/", views.account_confirm_view, kw, name=f"{prefix}-confirm"),
        path(f"{prefix}/<uuid:uuid>/", views.account_detail, kw, name=f"{prefix}-detail"),
        path(f"{prefix}/<uuid:uuid>/edit/", views.account_edit_view, kw, name=f"{prefix}-edit"),
        path(
            f"{prefix}/<uuid:uuid>/warnings/",
            views.account_field_warnings,
            kw,
            name=f"{prefix}-warnings",
        ),
        path(
            f"{prefix}/<uuid:uuid>/delete/",
            trash_views.account_delete_view,
            kw,
            name=f"{prefix}-delete",
        ),
        path(
            f"{prefix}/<uuid:uuid>/restore/",
            trash_views.account_restore_view,
            kw,
            name=f"{prefix}-restore",
        ),
        path(f"{prefix}/<uuid:uuid>/reveal/", reveal.account_reveal, kw, name=f"{prefix}-reveal"),
    ]


urlpatterns = [
    *account_urls(Worker),
    *account_urls(Company),
    path("search/", search.quick_search_view, name="search"),
    path("companies/<uuid:uuid>/fees/", fee_views.fees_view, name="companies-fees"),
    path(
        "companies/<uuid:uuid>/fees/<uuid:fee_uuid>/",
        fee_views.fee_action_view,
        name="companies-fee-action",
    ),
    path("trash/", trash_views.trash_view, name="trash"),
]
