"""Firm views: switch firm, members, confirmation policy."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from vault.firms.models import Membership, Role
from vault.firms.permissions import SESSION_KEY, memberships_of, require_membership
from vault.firms.services import membership_invite, membership_remove, organization_set_policy


class InviteForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Email address"))
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Role.choices, initial=Role.STAFF)


class PolicyForm(forms.Form):
    days = forms.IntegerField(
        label=gettext_lazy("Confirm every account at least every (days)"),
        min_value=7,
        max_value=730,
    )


@require_POST
def switch_organization(request: HttpRequest) -> HttpResponse:
    """Make another of the user's firms the current one."""
    membership = get_object_or_404(
        memberships_of(request.user), organization__uuid=request.POST.get("organization")
    )
    request.session[SESSION_KEY] = str(membership.organization.uuid)
    messages.success(request, _("Now working in %(firm)s.") % {"firm": membership.organization})
    return redirect("ccus:dashboard")


def members(request: HttpRequest) -> HttpResponse:
    """List the firm's members; owners and admins invite new ones."""
    membership = require_membership(request, Role.ADMIN)
    organization = membership.organization
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership_invite(
                organization=organization, actor=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % form.cleaned_data)
            return redirect("members")
    people = organization.memberships.select_related("user").order_by("user__email")
    return render(request, "vault/firms/members.html", {"form": form, "people": people})


@require_POST
def member_remove(request: HttpRequest, uuid) -> HttpResponse:
    """Remove a member from the firm."""
    membership = require_membership(request, Role.ADMIN)
    target = get_object_or_404(Membership, uuid=uuid, organization=membership.organization)
    try:
        membership_remove(membership=target, actor=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(person)s was removed.") % {"person": target.user})
    return redirect("members")


def policy(request: HttpRequest) -> HttpResponse:
    """Let an owner change how often records must be confirmed."""
    membership = require_membership(request, Role.OWNER)
    organization = membership.organization
    form = PolicyForm(request.POST or None, initial={"days": organization.confirmation_policy_days})
    if request.method == "POST" and form.is_valid():
        organization_set_policy(
            organization=organization, actor=request.user, request=request, **form.cleaned_data
        )
        messages.success(request, _("The confirmation policy was saved."))
        return redirect("policy")
    return render(request, "vault/firms/policy.html", {"form": form})
