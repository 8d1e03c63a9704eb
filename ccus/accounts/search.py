"""The quick search on every page: workers and businesses by name, reading or ID."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ccus.accounts.kinds import KIND
from ccus.accounts.selectors import quick_search
from vault.firms.permissions import require_membership

# Typed names are short; a longer text is cut rather than refused.
MAX_QUERY = 100
FRAGMENT_LIMIT = 5
PAGE_LIMIT = 50


def quick_search_view(request: HttpRequest) -> HttpResponse:
    """Show the firm's accounts matching what was typed: a page, or the part under the box."""
    membership = require_membership(request)
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    fragment = request.headers.get("X-Fragment") == "1"
    limit = FRAGMENT_LIMIT if fragment else PAGE_LIMIT
    groups = [
        {"kind": KIND[model], "title": model._meta.verbose_name_plural,
         "accounts": accounts[:limit], "more": len(accounts) > limit}
        for model, accounts in quick_search(membership.organization, query, limit)
    ]  # fmt: skip
    context = {"query": query, "groups": groups,
               "found": any(group["accounts"] for group in groups)}  # fmt: skip
    template = "search_results.html" if fragment else "search.html"
    response = render(request, f"ccus/accounts/{template}", context)
    response["Vary"] = "X-Fragment"
    response["Cache-Control"] = "no-store"
    return response
