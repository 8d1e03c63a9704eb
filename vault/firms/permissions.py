"""Tenancy checks for views: the current firm, the caller's role, scoped lookups."""

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from vault.compiled import CompiledQuery
from vault.firms.models import Membership, Role

SESSION_KEY = "organization"


def memberships_of(user) -> QuerySet[Membership]:
    """Return the user's memberships with their organizations, by firm name."""
    return (
        Membership.objects.filter(user=user)
        .select_related("organization")
        .order_by("organization__name", "organization_id")
    )


# Every signed-in request reads them: compiled once rather than on each request.
memberships_of_user_id = CompiledQuery(memberships_of)


def request_memberships(request: HttpRequest) -> list[Membership]:
    """Return the signed-in user's memberships, loaded once per request."""
    if not hasattr(request, "_memberships"):
        user = request.user
        request._memberships = memberships_of_user_id(user.pk) if user.is_authenticated else []
    return request._memberships


def current_membership(request: HttpRequest) -> Membership | None:
    """Return the membership of the firm the user is working in now (chosen or the first)."""
    memberships = request_memberships(request)
    chosen = request.session.get(SESSION_KEY)
    for membership in memberships:
        if str(membership.organization.uuid) == chosen:
            return membership
    return memberships[0] if memberships else None


def require_membership(request: HttpRequest, role: str = Role.VIEWER) -> Membership:
    """Return the current membership; 404 without one, 403 when its role is below role."""
    membership = current_membership(request)
    if membership is None:
        raise Http404("No firm")
    if not membership.has_role(role):
        raise PermissionDenied
    return membership


def membership_in(user, organization_id: int) -> Membership | None:
    """Return the user's membership of one organization, if any."""
    return Membership.objects.filter(user=user, organization_id=organization_id).first()


def get_for_role(request: HttpRequest, queryset: QuerySet, role: str, **lookup) -> Model:
    """Fetch a tenant record: 404 outside the user's firms, 403 when the role is too low."""
    obj = get_object_or_404(queryset.for_user(request.user), **lookup)
    membership = membership_in(request.user, obj.organization_id)
    if not membership.has_role(role):
        raise PermissionDenied
    request._record_membership = membership
    return obj
