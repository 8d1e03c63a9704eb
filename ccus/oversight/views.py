"""The prime contractor's oversight view, engagements on both sides, and sites."""

import uuid as uuid_module

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ccus.oversight.engagements import (
    engagement_answer,
    engagement_end,
    engagement_invite,
    find_subcontractor,
    site_roster_change,
    site_save,
)
from ccus.oversight.exports import rollup_table, roster_rows, roster_table
from ccus.oversight.history import readiness_history, readiness_scores, week_label
from ccus.oversight.models import Engagement, Site
from ccus.oversight.rollup import (
    READINESS_PARTS,
    ROLLUP_PAGE_SIZE,
    SORT_KEYS,
    drill_down_workers,
    find_visible,
    readiness_rollup,
    rollup_summary,
    roster,
    roster_candidates,
    shows_full_ids,
    sites_of_firm,
    visible_subcontractors,
)
from ccus.oversight.table import headers, rows_html
from vault.charts import line_chart
from vault.firms.models import Role
from vault.firms.permissions import require_membership
from vault.spreadsheets import streaming_table_response


class InviteForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Firm code"),
        required=False,
        max_length=40,
        help_text=gettext_lazy("Spaces, hyphens and full-width letters are fine."),
    )
    email = forms.EmailField(label=gettext_lazy("Or the email of its owner"), required=False)

    def clean(self) -> dict:
        cleaned = super().clean()
        if not cleaned.get("code") and not cleaned.get("email"):
            raise ValidationError(_("Enter the firm code or the email of its owner."))
        return cleaned


class AnswerForm(forms.Form):
    sharing = forms.ChoiceField(
        label=gettext_lazy("What to share"),
        choices=Engagement.Sharing.choices,
        initial=Engagement.Sharing.STATUS,
        widget=forms.RadioSelect,
    )
    pass_up = forms.BooleanField(
        label=gettext_lazy("Also let this firm's own prime contractors see our status"),
        required=False,
    )


class SiteForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Site name"), max_length=200)
    address = forms.CharField(label=gettext_lazy("Site address"), max_length=300, required=False)
    site_code = forms.CharField(label="現場ID", max_length=40, required=False)
    engagements = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Subcontractors on this site"),
        queryset=Engagement.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, organization, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["engagements"].queryset = Engagement.objects.filter(
            prime=organization, status=Engagement.Status.ACTIVE
        ).select_related("subcontractor")
        self.fields["engagements"].label_from_instance = lambda e: e.subcontractor.name


def engagements_view(request: HttpRequest) -> HttpResponse:
    """Both sides of a firm's engagements; owners invite, answer and end."""
    membership = require_membership(request)
    organization = membership.organization
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            engagement_invite(
                prime=organization,
                subcontractor=find_subcontractor(**form.cleaned_data),
                actor=request.user,
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The invitation was sent."))
            return redirect("ccus:engagements")
    context = {
        "form": form,
        "answer_form": AnswerForm(),
        "is_owner": membership.has_role(Role.OWNER),
        "as_prime": organization.engagements_as_prime.select_related("subcontractor").order_by(
            "-invited_at"
        ),
        "as_subcontractor": organization.engagements_as_subcontractor.select_related(
            "prime"
        ).order_by("-invited_at"),
    }
    return render(request, "ccus/oversight/engagements.html", context)


def _engagement_of(request: HttpRequest, uuid) -> Engagement:
    membership = require_membership(request, Role.OWNER)
    organization = membership.organization
    engagements = Engagement.objects.select_related("prime", "subcontractor")
    engagement = get_object_or_404(engagements, uuid=uuid)
    if organization not in (engagement.prime, engagement.subcontractor):
        raise Http404("Not this firm's engagement")
    return engagement


@require_POST
def engagement_answer_view(request: HttpRequest, uuid) -> HttpResponse:
    """Accept (choosing what to share) or refuse an invitation from a prime contractor."""
    engagement = _engagement_of(request, uuid)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            engagement_answer(
                engagement=engagement,
                accept=request.POST.get("answer") == "accept",
                actor=request.user,
                request=request,
                **form.cleaned_data,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return redirect("ccus:engagements")


@require_POST
def engagement_end_view(request: HttpRequest, uuid) -> HttpResponse:
    """End an engagement from either side."""
    engagement_end(engagement=_engagement_of(request, uuid), actor=request.user, request=request)
    messages.success(request, _("The engagement was ended. Nothing is shared any more."))
    return redirect("ccus:engagements")


def oversight_view(request: HttpRequest) -> HttpResponse:
    """Every engaged subcontractor's readiness, sortable, per site, a page at a time; no secret."""
    membership = require_membership(request)
    organization = membership.organization
    site = None
    if request.GET.get("site"):
        site = get_object_or_404(Site, organization=organization, uuid=request.GET["site"])
    rows = readiness_rollup(visible_subcontractors(organization, site=site))
    sort = request.GET.get("sort", "score")
    rows.sort(key=SORT_KEYS.get(sort, SORT_KEYS["score"]), reverse=sort != "name")
    if request.GET.get("format") in ("csv", "xlsx"):
        header, table = rollup_table(rows)
        name = f"oversight-{timezone.localdate():%Y%m%d}"
        return streaming_table_response(request.GET["format"], header, table, name, _("Readiness"))
    # Every firm is figured and sorted above; only one page of them is drawn.
    page = Paginator(rows, ROLLUP_PAGE_SIZE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "rows": shown,
        "rows_html": rows_html(
            shown, reverse("ccus:oversight"), readiness_scores(organization, shown)
        ),
        "headers": headers(),
        "readiness_parts": READINESS_PARTS,
        "page": page,
        "query": query.urlencode(),
        "summary": rollup_summary(rows) if page.paginator.num_pages > 1 else None,
        "sort": sort,
        "site": site,
        "sites": sites_of_firm(organization.id),
    }
    return render(request, "ccus/oversight/rollup.html", context)


def oversight_detail_view(request: HttpRequest, uuid) -> HttpResponse:
    """One subcontractor's workers: names, statuses, dates, masked (or shared full) IDs."""
    membership = require_membership(request)
    visible = find_visible(membership.organization, uuid)
    if visible is None:
        raise Http404("Not visible to this firm")
    history = readiness_history(membership.organization, readiness_rollup([visible]))
    weeks = [(week_label(week), score) for week, score in history[visible.firm.id]]
    context = {
        "visible": visible,
        "weeks": weeks,
        "chart": line_chart(weeks),
        "workers": drill_down_workers(visible),
        "full_ids": shows_full_ids(visible),
    }
    return render(request, "ccus/oversight/detail.html", context)


def site_roster_view(request: HttpRequest, uuid) -> HttpResponse:
    """A site's roster of the workers chosen for it, to print or download as CSV or Excel."""
    membership = require_membership(request)
    site = get_object_or_404(Site, organization=membership.organization, uuid=uuid)
    include_left = request.GET.get("left") == "1"
    visible = visible_subcontractors(membership.organization, site=site)
    chosen = roster(visible, site, include_left=include_left)
    header, table = roster_table(chosen)
    if request.GET.get("format") in ("csv", "xlsx"):
        name = f"roster-{timezone.localdate():%Y%m%d}"
        return streaming_table_response(request.GET["format"], header, table, name, site.name)
    can_edit = membership.has_role(Role.ADMIN)
    candidates = roster_candidates(visible, site, include_left=include_left) if can_edit else []
    rows = [
        (worker, list(zip(header, cells, strict=True))) for worker, cells in roster_rows(chosen)
    ]
    context = {"site": site, "header": header, "rows": rows,
               "include_left": include_left, "can_edit": can_edit,
               "candidates": roster_rows(candidates)}  # fmt: skip
    return render(request, "ccus/oversight/site_roster.html", context)


@require_POST
def site_roster_change_view(request: HttpRequest, uuid) -> HttpResponse:
    """Put the chosen workers on the site's roster, or take one off."""
    membership = require_membership(request, Role.ADMIN)
    site = get_object_or_404(Site, organization=membership.organization, uuid=uuid)
    add = request.POST.get("action") == "add"
    count = site_roster_change(site=site, worker_uuids=_uuids(request.POST.getlist("workers")),
                               add=add, actor=request.user, request=request)  # fmt: skip
    if not count:
        messages.warning(request, _("Choose the workers to put on the roster."))
    elif add:
        messages.success(request, _("Added %(count)d workers to the roster.") % {"count": count})
    else:
        messages.success(request, _("Took %(count)d workers off the roster.") % {"count": count})
    left = "?left=1" if request.POST.get("left") == "1" else ""
    return redirect(reverse("ccus:site-roster", args=[site.uuid]) + left)


def _uuids(values: list[str]) -> list[uuid_module.UUID]:
    """Return the valid UUIDs among the posted values (a tampered value is ignored)."""
    found = []
    for value in values:
        try:
            found.append(uuid_module.UUID(value))
        except ValueError:
            continue
    return found


def sites_view(request: HttpRequest, uuid=None) -> HttpResponse:
    """List a prime's sites; owners and admins add or change one and assign subcontractors."""
    membership = require_membership(request)
    organization = membership.organization
    site = get_object_or_404(Site, organization=organization, uuid=uuid) if uuid else None
    initial = {}
    if site is not None:
        initial = {"name": site.name, "address": site.address, "site_code": site.site_code,
                   "engagements": list(site.engagements.all())}  # fmt: skip
    form = SiteForm(request.POST or None, organization=organization, initial=initial)
    if request.method == "POST":
        require_membership(request, Role.ADMIN)
        if form.is_valid():
            saved, warnings = site_save(
                organization=organization,
                actor=request.user,
                request=request,
                site=site,
                **form.cleaned_data,
            )
            messages.success(request, _("The site was saved."))
            for warning in warnings:
                messages.warning(request, warning.message)
            return redirect("ccus:site", uuid=saved.uuid)
    context = {"form": form, "site": site, "sites": sites_of_firm(organization.id),
               "can_edit": membership.has_role(Role.ADMIN)}  # fmt: skip
    return render(request, "ccus/oversight/sites.html", context)
