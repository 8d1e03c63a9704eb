"""Owners' full backup: download it locked by a passphrase, and restore it after a preview."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ccus.accounts.models import ManagerIdFee
from ccus.rosters.backup import MIN_PASSPHRASE, backup_archive
from ccus.rosters.models import BackupRestore
from ccus.rosters.restore_jobs import (
    INLINE_RECORDS,
    restore_failure_message,
    restore_job_backup,
    restore_job_cancel,
    restore_job_create,
    restore_job_queue,
    restore_job_run,
)
from ccus.rosters.restore_plan import FEES, restore_plan
from ccus.rosters.views import MAX_UPLOAD_BYTES
from vault.audit.services import audit_record
from vault.auth.reauth import reauth_redirect, recently_reauthenticated
from vault.firms.models import Role
from vault.firms.permissions import get_for_role, require_membership

PREVIEW_ROWS = 200
ACTION_LABELS = {
    "new": gettext_lazy("New"),
    "changed": gettext_lazy("Changed"),
    "same": gettext_lazy("Same"),
    "error": gettext_lazy("Cannot be restored"),
}


class BackupForm(forms.Form):
    passphrase = forms.CharField(
        label=gettext_lazy("Passphrase for the backup file (12 characters or more)"),
        min_length=MIN_PASSPHRASE,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    passphrase_again = forms.CharField(
        label=gettext_lazy("The same passphrase again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("passphrase") != cleaned.get("passphrase_again"):
            self.add_error("passphrase_again", _("The two passphrases differ."))
        return cleaned


class RestoreForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Backup file (.zip)"))
    passphrase = forms.CharField(
        label=gettext_lazy("Passphrase of the backup"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )


@never_cache
def backup_export(request: HttpRequest) -> HttpResponse:
    """Owners download every account with its secrets, in a zip locked by their passphrase."""
    membership = require_membership(request, Role.OWNER)
    if not recently_reauthenticated(request):
        return reauth_redirect(request, reverse("ccus:backup"))
    form = BackupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        archive, counts = backup_archive(membership.organization, form.cleaned_data["passphrase"])
        audit_record(action="backup.export", actor=request.user,
                     organization=membership.organization, request=request, **counts)  # fmt: skip
        response = HttpResponse(archive, content_type="application/zip")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="ccus-vault-backup-{stamp}.zip"'
        response["Cache-Control"] = "no-store"
        return response
    return render(request, "ccus/rosters/backup.html", {"form": form})


@never_cache
def restore_upload(request: HttpRequest) -> HttpResponse:
    """Owners upload a backup and its passphrase; nothing changes until the preview is confirmed."""
    membership = require_membership(request, Role.OWNER)
    if not recently_reauthenticated(request):
        return reauth_redirect(request, reverse("ccus:restore"))
    form = RestoreForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            # The proxy lets bodies of this size through; a backup of 50,000 workers is 4 MB.
            if upload.size > MAX_UPLOAD_BYTES:
                raise ValidationError(_("The file is larger than 10 MB: it is not a backup."))
            job = restore_job_create(
                organization=membership.organization, actor=request.user,
                filename=upload.name, data=upload.read(),
                passphrase=form.cleaned_data["passphrase"],
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("ccus:restore-detail", uuid=job.uuid)
    recent = BackupRestore.objects.filter(organization=membership.organization).order_by(
        "-created_at"
    )[:10]
    return render(request, "ccus/rosters/restore.html", {"form": form, "recent": recent})


def _labels(plan) -> list[str]:
    names = []
    for name in plan.changed:
        if name == FEES:
            names.append(str(ManagerIdFee._meta.verbose_name_plural))
        else:
            names.append(str(plan.model._meta.get_field(name).verbose_name))
    return names


def _preview(request: HttpRequest, job: BackupRestore) -> HttpResponse:
    plans = restore_plan(job.organization, restore_job_backup(job))
    counts = {action: sum(1 for p in plans if p.action == action) for action in ACTION_LABELS}
    shown = request.GET.get("show", "")
    listed = [p for p in plans if p.action == shown] if shown in ACTION_LABELS else plans
    page = Paginator(listed, PREVIEW_ROWS).get_page(request.GET.get("page"))
    rows = [
        {"kind": str(p.model._meta.verbose_name), "name": p.name,
         "action": p.action, "label": ACTION_LABELS[p.action], "fields": _labels(p),
         "errors": p.errors}
        for p in page
    ]  # fmt: skip
    context = {
        "job": job, "page": page, "rows": rows, "counts": counts, "shown": shown,
        "labels": ACTION_LABELS, "query": f"show={shown}" if shown else "",
    }  # fmt: skip
    return render(request, "ccus/rosters/restore_preview.html", context)


@never_cache
def restore_detail(request: HttpRequest, uuid) -> HttpResponse:
    """Show the preview of a restore (new / changed / same per record), or how it ended."""
    job = get_for_role(request, BackupRestore.objects, Role.OWNER, uuid=uuid)
    if job.status == BackupRestore.Status.PREVIEW:
        return _preview(request, job)
    context = {"job": job, "failure": restore_failure_message(job)}
    return render(request, "ccus/rosters/restore_job.html", context)


@require_POST
def restore_confirm(request: HttpRequest, uuid) -> HttpResponse:
    """Restore every new and changed record: at once for a small backup, else in the background."""
    job = get_for_role(request, BackupRestore.objects, Role.OWNER, uuid=uuid)
    if not recently_reauthenticated(request):
        return reauth_redirect(request, reverse("ccus:restore-detail", args=[job.uuid]))
    if job.records <= INLINE_RECORDS:
        counts = restore_job_run(job.id, request)
        if counts is not None:
            message = _("Restored: %(created)s added, %(updated)s updated.")
            messages.success(request, message % {k: counts[k] for k in ("created", "updated")})
    else:
        restore_job_queue(job=job)
    return redirect("ccus:restore-detail", uuid=job.uuid)


@require_POST
def restore_cancel(request: HttpRequest, uuid) -> HttpResponse:
    """Drop a restore waiting for confirmation, with the backup it kept."""
    job = get_for_role(request, BackupRestore.objects, Role.OWNER, uuid=uuid)
    restore_job_cancel(job=job)
    messages.success(request, _("The restore was cancelled. Nothing was changed."))
    return redirect("ccus:restore")
