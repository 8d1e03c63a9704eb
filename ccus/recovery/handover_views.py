"""The pages of a leaving worker: the dated handover checklist, and marking the worker left."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ccus.accounts.models import Worker
from ccus.accounts.services import worker_mark_left
from ccus.recovery.forms import HandoverForm, LeftForm
from ccus.recovery.handover import handover_checklist
from ccus.recovery.services import handover_record
from vault.firms.models import Role
from vault.firms.permissions import get_for_role


def worker_handover_view(request: HttpRequest, uuid) -> HttpResponse:
    """The before-leaving checklist (退職・移籍), each step kept with its date."""
    worker = get_for_role(request, Worker.objects.all(), Role.STAFF, uuid=uuid)
    form = HandoverForm(request.POST or None, initial={"done_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        handover_record(worker=worker, actor=request.user, request=request, **form.cleaned_data)
        messages.success(request, _("The step was recorded."))
        return redirect("ccus:workers-handover", uuid=worker.uuid)
    checklist = handover_checklist(worker, with_notes=True)
    return render(
        request,
        "ccus/recovery/handover.html",
        {"worker": worker, "checklist": checklist, "form": form},
    )


def worker_left_view(request: HttpRequest, uuid) -> HttpResponse:
    """Mark a worker as left (退職), keeping the account; warn of handover steps not done."""
    worker = get_for_role(request, Worker.objects.all(), Role.STAFF, uuid=uuid)
    form = LeftForm(request.POST or None, initial={"left_on": timezone.localdate()})
    checklist = handover_checklist(worker)
    undone = [item for item in checklist if item.done is None]
    posted = request.method == "POST" and form.is_valid()
    confirming = posted and bool(undone) and not form.cleaned_data["anyway"]
    if posted and not confirming:
        worker_mark_left(
            worker=worker,
            left_on=form.cleaned_data["left_on"],
            actor=request.user,
            request=request,
        )
        messages.success(request, _("%(name)s is marked as left.") % {"name": worker.name})
        return redirect("ccus:workers-detail", uuid=worker.uuid)
    context = {"worker": worker, "form": form, "checklist": checklist, "undone": undone,
               "confirming": confirming}  # fmt: skip
    return render(request, "ccus/accounts/worker_left.html", context)
