"""Reminder pages: confirm from the email, choose what to receive, the delivery log."""

from django import forms
from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ccus.accounts.kinds import KIND
from ccus.accounts.models import Company, Worker
from ccus.accounts.services import accounts_confirm
from ccus.mail.models import DeliveryStatus
from ccus.reminders.digests import digest_from_token, resend_failed
from ccus.reminders.models import ReminderDelivery, ReminderKind
from ccus.reminders.preferences import reminder_preferences_set, wanted_kinds
from ccus.reminders.tasks import enqueue_digests
from vault.firms.models import Role
from vault.firms.permissions import require_membership


class PreferencesForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label=gettext_lazy("Send me reminders about"),
        choices=ReminderKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


def _digest_accounts(request: HttpRequest, token: str) -> list:
    """Return the accounts listed in the user's digest of the token that the user may edit."""
    try:
        digest = digest_from_token(token)
    except signing.BadSignature as error:
        raise Http404("Link expired") from error
    deliveries = ReminderDelivery.objects.filter(digest=digest, recipient=request.user)
    accounts = []
    for model, subject_type in ((Company, "company"), (Worker, "worker")):
        uuids = deliveries.filter(subject_type=subject_type).values("subject_uuid")
        accounts += list(
            model.objects.for_user(request.user, Role.STAFF)
            .filter(uuid__in=uuids)
            .only("id", "uuid", "name", "organization_id", "ccus_id_index")
            .order_by("name")
        )
    return accounts


def reminders_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """From "内容は正しい" in a digest: confirm its accounts that have an ID, in one click."""
    listed = _digest_accounts(request, token)
    # Without an ID the record is not complete: "correct" would hide what is missing.
    accounts = [account for account in listed if account.ccus_id_index]
    if request.method == "POST":
        count = 0
        for model in (Company, Worker):
            chosen = model.objects.filter(id__in=[a.id for a in accounts if isinstance(a, model)])
            count += accounts_confirm(accounts=chosen, actor=request.user, request=request)
        messages.success(request, _("Marked %(count)d accounts as confirmed.") % {"count": count})
        return redirect("ccus:dashboard")
    without_id = [
        (account, reverse(f"ccus:{KIND[type(account)]}-edit", args=[account.uuid]))
        for account in listed
        if not account.ccus_id_index
    ]
    context = {"accounts": accounts, "without_id": without_id}
    return render(request, "ccus/reminders/confirm.html", context)


def reminders_preferences(request: HttpRequest) -> HttpResponse:
    """Let a member choose which kinds of reminder they receive for the current firm."""
    membership = require_membership(request, Role.ADMIN)
    initial = {"kinds": wanted_kinds(membership)}
    # Unticking every box posts no field at all: still a submitted form.
    form = PreferencesForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            reminder_preferences_set(
                membership=membership, kinds=set(form.cleaned_data["kinds"]), request=request
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your reminder choices were saved."))
            return redirect("ccus:reminders-preferences")
    return render(request, "ccus/reminders/preferences.html", {"form": form})


def reminders_log(request: HttpRequest) -> HttpResponse:
    """Show owners what was sent to whom and when, and what failed and why."""
    membership = require_membership(request, Role.OWNER)
    deliveries = (
        ReminderDelivery.objects.filter(organization=membership.organization)
        .select_related("recipient")
        .order_by("-created_at", "-id")
    )
    status = request.GET.get("status", "")
    if status in DeliveryStatus.values:
        deliveries = deliveries.filter(status=status)
    page = Paginator(deliveries, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "status": status,
        "statuses": DeliveryStatus.choices,
        "query": f"status={status}" if status else "",
        "has_failed": any(d.status == DeliveryStatus.FAILED for d in page),
    }
    return render(request, "ccus/reminders/log.html", context)


@require_POST
def reminders_resend(request: HttpRequest) -> HttpResponse:
    """Send failed reminders again."""
    membership = require_membership(request, Role.OWNER)
    recipients = resend_failed(
        organization=membership.organization, delivery_uuids=request.POST.getlist("deliveries")
    )
    enqueue_digests(recipients)
    messages.success(request, _("The chosen reminders will be sent again."))
    return redirect("ccus:reminders-log")
