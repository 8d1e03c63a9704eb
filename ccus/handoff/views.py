"""Make a one-time link for a worker (admins), and open it with the PIN (the worker, no sign-in)."""

import unicodedata

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from ccus.accounts.models import Worker
from ccus.handoff.models import HandoffLink
from ccus.handoff.services import (
    ITEMS,
    PIN_LENGTHS,
    handoff_create,
    handoff_expire_if_due,
    handoff_open,
    handoff_revoke,
)
from ccus.recovery import guide
from vault.auth.reauth import reauth_redirect, recently_reauthenticated
from vault.firms.models import Role
from vault.firms.permissions import get_for_role


class HandoffForm(forms.Form):
    items = forms.MultipleChoiceField(
        label=gettext_lazy("Items to hand over"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Choose at least one item.")},
    )
    pin_length = forms.TypedChoiceField(
        label=gettext_lazy("Digits of the PIN"),
        choices=[(n, str(n)) for n in PIN_LENGTHS],
        coerce=int,
        initial=6,
    )

    def __init__(self, *args, worker: Worker, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        saved = [name for name in ITEMS if getattr(worker, name) not in ("", None)]
        self.fields["items"].choices = [(name, _label(name)) for name in saved]
        self.fields["items"].initial = [n for n in saved if n != "registered_email"]


def _label(name: str) -> str:
    return str(capfirst(Worker._meta.get_field(name).verbose_name))


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
def handoff_new_view(request: HttpRequest, uuid) -> HttpResponse:
    """Choose the items and the PIN length, then show the link and the PIN once."""
    worker = get_for_role(request, Worker.objects.all(), Role.ADMIN, uuid=uuid)
    if not recently_reauthenticated(request):
        back = reverse("ccus:workers-handoff", args=[worker.uuid])
        return reauth_redirect(request, back)
    form = HandoffForm(request.POST or None, worker=worker)
    if request.method == "POST" and form.is_valid():
        try:
            made = handoff_create(
                worker=worker,
                fields=form.cleaned_data["items"],
                pin_length=form.cleaned_data["pin_length"],
                actor=request.user,
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            url = request.build_absolute_uri(reverse("ccus:handoff-open", args=[made.link.uuid]))
            context = {"worker": worker, "made": made, "url": f"{url}#{made.secret}"}
            return _no_store(render(request, "ccus/handoff/created.html", context))
    links = [
        (link, "、".join(_label(name) for name in link.fields))
        for link in worker.handoff_links.select_related("created_by")[:20]
    ]
    context = {"worker": worker, "form": form, "links": links}
    return render(request, "ccus/handoff/new.html", context)


@require_POST
def handoff_revoke_view(request: HttpRequest, uuid) -> HttpResponse:
    """Cancel a link before the worker opens it."""
    link = get_for_role(
        request, HandoffLink.objects.select_related("worker"), Role.ADMIN, uuid=uuid
    )
    handoff_revoke(link=link, actor=request.user, request=request)
    messages.success(request, _("The link was cancelled. It can no longer be opened."))
    return redirect("ccus:workers-handoff", uuid=link.worker.uuid)


def _closed(request: HttpRequest, link: HandoffLink | None, status: int = 410) -> HttpResponse:
    context = {"link": link, "firm": link.organization.name if link else ""}
    return _no_store(render(request, "ccus/handoff/closed.html", context, status=status))


def _pin(raw: str) -> str | None:
    """Return the PIN typed (full-width digits and spaces allowed), or None if not 4–8 digits."""
    pin = unicodedata.normalize("NFKC", raw).replace(" ", "").replace("-", "")
    return pin if pin.isascii() and pin.isdigit() and len(pin) in PIN_LENGTHS else None


@login_not_required
@sensitive_post_parameters("secret", "pin")
@never_cache
def handoff_open_view(request: HttpRequest, uuid) -> HttpResponse:
    """The worker's page: ask for the PIN, then show the items once with copy buttons."""
    link = get_object_or_404(HandoffLink.objects.select_related("organization"), uuid=uuid)
    link = handoff_expire_if_due(link=link, request=request)
    if link.status != HandoffLink.Status.OPEN:
        return _closed(request, link)
    context = {"link": link, "firm": link.organization.name, "error": "", "attempts_left": None}
    if request.method == "POST":
        pin = _pin(request.POST.get("pin", ""))
        if pin is None:
            context["error"] = _("The PIN is 4 to 8 digits. Type the digits you were told.")
        else:
            try:
                opened = handoff_open(
                    uuid=uuid, secret=request.POST.get("secret", ""), pin=pin, request=request
                )
            except Http404:
                return _closed(request, None, status=404)
            if opened.values:
                shown = {
                    "firm": link.organization.name,
                    "items": [(name, _label(name), opened.values[name]) for name in opened.values],
                    "ccus_url": guide.CCUS_TOP_URL,
                    "where_login": guide.WHERE_LOGIN,
                    "where_password_reset": guide.WHERE_PASSWORD_RESET,
                }
                return _no_store(render(request, "ccus/handoff/show.html", shown))
            if opened.link.status != HandoffLink.Status.OPEN:
                return _closed(request, opened.link)
            context["error"] = _("The PIN is not right.")
            context["attempts_left"] = opened.attempts_left
    return _no_store(render(request, "ccus/handoff/open.html", context))
