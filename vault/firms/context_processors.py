"""Template context: the firm the user works in and the firms they can switch to."""

from django.http import HttpRequest

from vault.firms.permissions import current_membership, request_memberships


def membership(request: HttpRequest) -> dict:
    """Expose the current membership and the user's other memberships."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {
        "current_membership": current_membership(request),
        "memberships": request_memberships(request),
    }
