"""The read-only API of a prime firm: rollup, one subcontractor, its workers, sites, rosters."""

from uuid import UUID

from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404, HttpRequest
from ninja import NinjaAPI
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.security import HttpBearer
from ninja.throttling import AuthRateThrottle

from ccus.accounts.models import Worker
from ccus.api.schemas import ErrorOut, RollupOut, RosterRowOut, SiteOut, SubcontractorOut, WorkerOut
from ccus.api.tokens import api_read_record, api_token_for
from ccus.oversight.models import Engagement, Site
from ccus.oversight.rollup import (
    Visible,
    drill_down_workers,
    find_visible,
    readiness_rollup,
    roster,
    shows_full_ids,
    visible_subcontractors,
)
from vault.crypto.masking import mask_ccus_id

READ_METHODS = {"GET", "HEAD"}


class TokenAuth(HttpBearer):
    """`Authorization: Bearer ccv_…`: a live token of read scope, for reads only."""

    def authenticate(self, request: HttpRequest, token: str):
        if request.method not in READ_METHODS:
            return None
        found = api_token_for(token)
        return found if found is not None and found.scope == found.Scope.READ else None


class TokenThrottle(AuthRateThrottle):
    """At most API_RATE_LIMIT calls per token (shared by every web process through the cache)."""

    def allow_request(self, request: HttpRequest) -> bool:
        self.rate = settings.API_RATE_LIMIT
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_cache_key(self, request: HttpRequest) -> str:
        return f"api-throttle-{request.auth.uuid}"


api = NinjaAPI(
    title="CCUS Vault API",
    version="1",
    description=(
        "Read-only figures of a prime contractor's subcontractors, for site-entry and safety "
        "systems. Never returns a password, security code, hint or email."
    ),
    urls_namespace="ccus:api",
    auth=TokenAuth(),
    throttle=[TokenThrottle()],
)
NOT_FOUND = {404: ErrorOut}


def _figures(v: Visible) -> dict:
    s = v.stats
    return {
        "uuid": v.engagement.uuid, "name": v.firm.name, "tier": v.tier, "via": v.via,
        "shares_full_ids": shows_full_ids(v), "score": s["score"],
        "business_account_confirmed": bool(s["companies_confirmed"]),
        "workers": s["workers"], "with_id": s["with_id"], "confirmed_within_policy": s["confirmed"],
        "expiring_within_6_months": s["expiring_all"], "expired": s["expired_all"],
        "without_registered_email": s["missing_email"], "unanswered_reminders": s["unanswered"],
        "last_update": s["last_update"],
    }  # fmt: skip


def _worker(worker: Worker, full_ids: bool) -> dict:
    return {
        "uuid": worker.uuid, "name": worker.name, "name_kana": worker.name_kana,
        "status": worker.status, "card_expires_on": worker.card_expires_on,
        "last_confirmed_at": worker.last_confirmed_at, "level": worker.level,
        "worker_id": (worker.ccus_id or "") if full_ids else mask_ccus_id(worker.ccus_id_last4),
        "worker_id_is_full": full_ids,
    }  # fmt: skip


def _visible(request: HttpRequest, uuid) -> Visible:
    visible = find_visible(request.auth.organization, uuid)
    if visible is None:
        raise Http404("Not a subcontractor this firm may see")
    return visible


@api.get("/rollup", response=RollupOut, summary="Every subcontractor's readiness")
def rollup(request: HttpRequest):
    api_read_record(request, "rollup")
    prime = request.auth.organization
    rows = readiness_rollup(visible_subcontractors(prime))
    return {"firm": prime.name, "subcontractors": [_figures(v) for v in rows]}


@api.get("/subcontractors/{uuid}", response={200: SubcontractorOut, **NOT_FOUND},
         summary="One subcontractor's figures")  # fmt: skip
def subcontractor(request: HttpRequest, uuid: UUID):
    api_read_record(request, "subcontractor")
    return _figures(readiness_rollup([_visible(request, uuid)])[0])


@api.get("/subcontractors/{uuid}/workers", response={200: list[WorkerOut], **NOT_FOUND},
         summary="One subcontractor's workers")  # fmt: skip
@paginate(LimitOffsetPagination)
def subcontractor_workers(request: HttpRequest, uuid: UUID):
    api_read_record(request, "subcontractor_workers")
    visible = _visible(request, uuid)
    full_ids = shows_full_ids(visible)
    return [_worker(w, full_ids) for w in drill_down_workers(visible)]


@api.get("/sites", response=list[SiteOut], summary="The firm's sites")
def sites(request: HttpRequest):
    api_read_record(request, "sites")
    active = Engagement.objects.filter(status=Engagement.Status.ACTIVE).only("uuid")
    found = Site.objects.filter(organization=request.auth.organization).prefetch_related(
        Prefetch("engagements", queryset=active)
    )
    return [
        {"uuid": s.uuid, "name": s.name, "address": s.address, "site_code": s.site_code,
         "subcontractor_uuids": [e.uuid for e in s.engagements.all()]}
        for s in found
    ]  # fmt: skip


@api.get("/sites/{uuid}/roster", response={200: list[RosterRowOut], **NOT_FOUND},
         summary="The subcontractor workers chosen for a site's roster")  # fmt: skip
@paginate(LimitOffsetPagination)
def site_roster(request: HttpRequest, uuid: UUID):
    api_read_record(request, "site_roster")
    site = Site.objects.filter(organization=request.auth.organization, uuid=uuid).first()
    if site is None:
        raise Http404("Not a site of this firm")
    return [
        {**_worker(w, shows_full_ids(v)), "subcontractor_uuid": v.engagement.uuid,
         "subcontractor": v.firm.name}
        for v, w in roster(
            visible_subcontractors(site.organization, site=site), site, include_left=True
        )
    ]  # fmt: skip
