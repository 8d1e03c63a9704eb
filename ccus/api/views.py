"""The owners' page of API tokens: make one (shown once), see when each was used, revoke."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ccus.api.models import ApiToken
from ccus.api.tokens import api_token_issue, api_token_revoke
from vault.firms.models import Role
from vault.firms.permissions import require_membership


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("What the token is for"),
        max_length=100,
        help_text=gettext_lazy("For example: the site-entry system of the head office."),
    )


@never_cache
def api_tokens_view(request: HttpRequest) -> HttpResponse:
    """List the firm's tokens; make a new one and show it once."""
    membership = require_membership(request, Role.OWNER)
    form = TokenForm(request.POST or None)
    made = ""
    if request.method == "POST" and form.is_valid():
        _token, made = api_token_issue(
            organization=membership.organization,
            name=form.cleaned_data["name"],
            actor=request.user,
            request=request,
        )
        form = TokenForm()
    context = {
        "form": form,
        "made": made,
        "tokens": ApiToken.objects.filter(organization=membership.organization),
        "api_root": request.build_absolute_uri(reverse("ccus:api:api-root")),
        "docs": reverse("ccus:api:openapi-view"),
    }
    response = render(request, "ccus/api/tokens.html", context)
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def api_token_revoke_view(request: HttpRequest, uuid) -> HttpResponse:
    """Stop one token at once."""
    membership = require_membership(request, Role.OWNER)
    token = get_object_or_404(ApiToken, organization=membership.organization, uuid=uuid)
    api_token_revoke(token=token, actor=request.user, request=request)
    messages.success(request, _("The token was revoked. Calls with it are refused from now on."))
    return redirect("ccus:api-tokens")
