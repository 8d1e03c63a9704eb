"""Roster pages: upload, preview, map columns, import (now or in the background), export."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ccus.accounts.models import Worker
from ccus.rosters.jobs import (
    INLINE_ROWS,
    failure_message,
    import_job_create,
    job_accept_ids,
    job_preview,
    job_rows,
    job_run,
    job_set_mapping,
    offered_ids,
)
from ccus.rosters.models import ImportJob
from ccus.rosters.rows import ACTION_LABELS, FIELDS_BY_KIND, field_choices
from ccus.rosters.tasks import run_roster_import
from vault.audit.services import audit_record
from vault.auth.reauth import reauth_redirect, recently_reauthenticated
from vault.crypto.masking import mask_ccus_id
from vault.firms.models import Role
from vault.firms.permissions import require_membership
from vault.spreadsheets import csv_response, table_response

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
PREVIEW_ROWS = 300


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("What the file lists"),
        choices=[
            ("worker", gettext_lazy("Workers (技能者)")),
            ("company", gettext_lazy("Businesses (事業者)")),
        ],
        initial="worker",
        required=False,
        widget=forms.RadioSelect,
    )
    file = forms.FileField(label=gettext_lazy("Roster file (CSV or Excel .xlsx)"))
    encoding = forms.ChoiceField(
        label=gettext_lazy("Character code of a CSV file"),
        choices=[
            ("", gettext_lazy("Detect automatically")),
            ("utf-8-sig", "UTF-8"),
            ("cp932", "Shift_JIS (CP932)"),
        ],
        required=False,
    )


def _job(request: HttpRequest, uuid) -> ImportJob:
    membership = require_membership(request, Role.STAFF)
    return get_object_or_404(
        ImportJob.objects.select_related("organization"),
        organization=membership.organization,
        uuid=uuid,
    )


def import_upload(request: HttpRequest) -> HttpResponse:
    """Upload a roster; nothing is written until the preview is confirmed."""
    membership = require_membership(request, Role.STAFF)
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        initial={"kind": request.GET.get("kind") or "worker"},
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            form.add_error("file", _("The file is larger than 10 MB. Split it into smaller files."))
        else:
            try:
                job = import_job_create(
                    organization=membership.organization, actor=request.user,
                    filename=upload.name, data=upload.read(),
                    encoding=form.cleaned_data["encoding"],
                    kind=form.cleaned_data["kind"] or "worker",
                )  # fmt: skip
            except ValidationError as error:
                form.add_error("file", error)
            else:
                return redirect("ccus:import-preview", uuid=job.uuid)
    recent = (
        ImportJob.objects.filter(organization=membership.organization)
        .order_by("-created_at")
        .only("uuid", "filename", "status", "progress", "created_at")[:10]
    )
    return render(request, "ccus/rosters/upload.html", {"form": form, "recent": recent})


def import_preview(request: HttpRequest, uuid) -> HttpResponse:
    """Show every row with what importing it would do and the message for each bad cell."""
    job = _job(request, uuid)
    if job.status != ImportJob.Status.PREVIEW:
        return redirect("ccus:import-job", uuid=job.uuid)
    sheet, mapping, results = job_preview(job)
    unknown = [h for i, h in enumerate(sheet.header) if i not in mapping and h]
    counts = {a: sum(1 for r in results if r.action == a)
              for a in ("new", "update", "unchanged", "duplicate", "error")}  # fmt: skip
    shown = request.GET.get("show", "")
    listed = [r for r in results if not shown or r.action == shown]
    page = Paginator(listed, PREVIEW_ROWS).get_page(request.GET.get("page"))
    context = {
        "job": job,
        "columns": [sheet.header[i] for i in sorted(mapping)],
        "fields": [mapping[i] for i in sorted(mapping)],
        "page": page,
        "query": f"show={shown}" if shown else "",
        "shown": shown,
        "counts": counts,
        "unknown": unknown,
        "field_choices": field_choices(job.kind),
        "labels": ACTION_LABELS,
        "offered": sum(1 for r in results if r.candidate),
    }
    return render(request, "ccus/rosters/preview.html", context)


@require_POST
def import_accept_id(request: HttpRequest, uuid) -> HttpResponse:
    """Accept the 14-digit ID offered for one row, or for every row that has one."""
    job = _job(request, uuid)
    if request.POST.get("all"):
        chosen = offered_ids(job)
    else:
        row, value = request.POST.get("row", ""), request.POST.get("ccus_id", "")
        chosen = {int(row): value} if row.isdigit() else {}
    count = job_accept_ids(job=job, chosen=chosen)
    messages.success(request, _("Accepted %(count)s IDs.") % {"count": count})
    # Back to the same page of the preview.
    query = urlencode({k: request.POST[k] for k in ("show", "page") if request.POST.get(k)})
    preview = reverse("ccus:import-preview", args=[job.uuid])
    return redirect(f"{preview}?{query}" if query else preview)


@require_POST
def import_mapping(request: HttpRequest, uuid) -> HttpResponse:
    """Map unknown column headings to worker fields; the firm's files remember it."""
    job = _job(request, uuid)
    chosen = {
        key.removeprefix("map:"): value
        for key, value in request.POST.items()
        if key.startswith("map:") and value in FIELDS_BY_KIND[job.kind]
    }
    job_set_mapping(job=job, mapping=chosen)
    return redirect("ccus:import-preview", uuid=job.uuid)


@require_POST
def import_confirm(request: HttpRequest, uuid) -> HttpResponse:
    """Import the valid rows: at once for a small file, in the background for a large one."""
    job = _job(request, uuid)
    if job_rows(job) <= INLINE_ROWS:
        counts = job_run(job.id, request)
        if counts is not None:
            messages.success(request, _("Imported: %(new)s new, %(update)s updated.") % {
                "new": counts["new"], "update": counts["update"]})  # fmt: skip
        else:
            job.refresh_from_db()
            if job.status == ImportJob.Status.FAILED:
                messages.error(request, failure_message(job))
    else:
        with transaction.atomic():
            ImportJob.objects.filter(id=job.id, status=ImportJob.Status.PREVIEW).update(
                status=ImportJob.Status.QUEUED
            )
            transaction.on_commit(lambda: run_roster_import.delay(job.id))
    return redirect("ccus:import-job", uuid=job.uuid)


def import_job(request: HttpRequest, uuid) -> HttpResponse:
    """Show a job's progress (the page refreshes itself while it runs) and its result."""
    job = _job(request, uuid)
    if request.GET.get("format") == "json":
        return JsonResponse({"status": job.status, "progress": job.progress,
                             "counts": job.counts})  # fmt: skip
    context = {"job": job, "failure": failure_message(job)}
    return render(request, "ccus/rosters/job.html", context)


def import_errors(request: HttpRequest, uuid) -> HttpResponse:
    """Download the rows that cannot be imported, with the reason, to fix and upload again."""
    job = _job(request, uuid)
    sheet, _mapping, results = job_preview(job)
    rows = [
        [r.number, *sheet.row(r.number), " / ".join(r.errors.values())]
        for r in results if r.errors
    ]  # fmt: skip
    stem = job.filename.rsplit(".", 1)[0] if "." in job.filename else job.filename
    return csv_response([_("Row"), *sheet.header, _("Error")], rows, f"errors-{stem}")


def roster_export(request: HttpRequest) -> HttpResponse:
    """Export the firm's roster for sites: masked IDs, or full IDs for owners confirmed just now."""
    membership = require_membership(request)
    full_ids = membership.has_role(Role.OWNER)
    if full_ids and not recently_reauthenticated(request):
        return reauth_redirect(request, reverse("ccus:workers"))
    columns = ["name", "name_kana", "status", "level", "card_expires_on", "ccus_id_last4",
               "company__name"]  # fmt: skip
    workers = (
        Worker.objects.filter(organization=membership.organization)
        .select_related("company")
        .only(*columns, *(["ccus_id"] if full_ids else []))
        .order_by("name_kana", "name")
    )
    header = [_("Name"), _("Name (kana)"), _("Worker ID"), _("Status"), _("Level"),
              _("Card expires"), _("Business")]  # fmt: skip
    rows = [
        [w.name, w.name_kana, (w.ccus_id or "") if full_ids else mask_ccus_id(w.ccus_id_last4),
         w.get_status_display(), w.level or "",
         w.card_expires_on.isoformat() if w.card_expires_on else "",
         w.company.name if w.company else ""]
        for w in workers
    ]  # fmt: skip
    audit_record(action="roster.export", actor=request.user, organization=membership.organization,
                 request=request, rows=len(rows), full_ids=full_ids)  # fmt: skip
    name = f"roster-{timezone.localdate():%Y%m%d}"
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    return table_response(fmt, header, rows, name, _("Roster"))
