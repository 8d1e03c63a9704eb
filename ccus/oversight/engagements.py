"""Writes about engagements between prime contractors and subcontractors, and their sites."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ccus.accounts.models import Worker
from ccus.accounts.text import normalize_digits
from ccus.accounts.validators import SoftWarning
from ccus.oversight.models import Engagement, Site
from ccus.oversight.rollup import visible_subcontractors
from vault.audit.services import audit_record
from vault.auth.models import User
from vault.firms.models import Membership, Organization, Role

OPEN = [Engagement.Status.INVITED, Engagement.Status.ACTIVE]


def _require_owner(user: User, organization: Organization) -> None:
    if not Membership.objects.filter(
        user=user, organization=organization, role=Role.OWNER
    ).exists():
        raise PermissionDenied


def _audit_both(action: str, engagement: Engagement, actor: User, request) -> None:
    """Write the event in the audit log of both firms."""
    for organization in (engagement.prime, engagement.subcontractor):
        audit_record(
            action=action,
            actor=actor,
            organization=organization,
            target=engagement,
            request=request,
        )


def normalize_firm_code(text: str) -> str:
    """Return a firm code as stored (`K7QX-2M9P`), however it was typed: widths, spaces, dashes."""
    code = normalize_digits(text).upper()
    return f"{code[:4]}-{code[4:]}" if len(code) == 8 else code


def find_subcontractor(*, code: str = "", email: str = "") -> Organization:
    """Find the firm to invite by its firm code, or by the email of its only owner."""
    if code:
        firm = Organization.objects.filter(code=normalize_firm_code(code)).first()
        if firm is None:
            message = _("No firm has this code. Check it with the firm.")
            raise ValidationError({"code": ValidationError(message, code="unknown_code")})
        return firm
    owned = Organization.objects.filter(
        memberships__user__email=email.strip().lower(), memberships__role=Role.OWNER
    )
    if owned.count() != 1:
        message = _("This address is not the owner of exactly one firm. Ask for the firm code.")
        raise ValidationError({"email": ValidationError(message, code="unknown_owner")})
    return owned.get()


@transaction.atomic
def engagement_invite(
    *, prime: Organization, subcontractor: Organization, actor: User, request: HttpRequest
) -> Engagement:
    """Invite a subcontractor firm to share its readiness with a prime contractor."""
    _require_owner(actor, prime)
    if prime == subcontractor:
        raise ValidationError(_("A firm cannot engage itself."), code="self")
    try:
        with transaction.atomic():
            engagement = Engagement.objects.create(
                prime=prime, subcontractor=subcontractor, invited_by=actor
            )
    except IntegrityError as error:
        raise ValidationError(
            _("This firm is already invited or engaged."), code="open_engagement"
        ) from error
    _audit_both("engagement.invite", engagement, actor, request)
    enqueue_invitation_emails(engagement)
    return engagement


def enqueue_invitation_emails(engagement: Engagement) -> None:
    """Queue one invitation email per owner of the subcontractor once the invitation is saved."""
    from ccus.oversight.tasks import send_engagement_invitation

    owners = Membership.objects.filter(
        organization=engagement.subcontractor, role=Role.OWNER, user__is_active=True
    ).values_list("user_id", flat=True)
    for user_id in owners:
        transaction.on_commit(
            lambda uid=user_id: send_engagement_invitation.delay(engagement.id, uid)
        )


@transaction.atomic
def engagement_answer(
    *, engagement: Engagement, accept: bool, sharing: str, pass_up: bool, actor: User,
    request: HttpRequest,
) -> Engagement:  # fmt: skip
    """Let the subcontractor's owner accept (choosing what to share) or refuse an invitation."""
    _require_owner(actor, engagement.subcontractor)
    if engagement.status != Engagement.Status.INVITED:
        raise ValidationError(_("This invitation was already answered."), code="answered")
    engagement.status = Engagement.Status.ACTIVE if accept else Engagement.Status.REFUSED
    engagement.sharing = sharing if accept else Engagement.Sharing.STATUS
    engagement.pass_up = accept and pass_up
    engagement.responded_at = timezone.now()
    engagement.full_clean()
    engagement.save()
    _audit_both("engagement.accept" if accept else "engagement.refuse", engagement, actor, request)
    return engagement


@transaction.atomic
def engagement_end(*, engagement: Engagement, actor: User, request: HttpRequest) -> Engagement:
    """End an engagement from either side; the prime sees nothing of it from now on."""
    if not Membership.objects.filter(
        user=actor,
        organization__in=[engagement.prime, engagement.subcontractor],
        role=Role.OWNER,
    ).exists():
        raise PermissionDenied
    if engagement.status in OPEN:
        engagement.status = Engagement.Status.ENDED
        engagement.ended_at = timezone.now()
        engagement.save(update_fields=["status", "ended_at"])
        _audit_both("engagement.end", engagement, actor, request)
    return engagement


def site_code_warnings(site_code: str) -> list[SoftWarning]:
    """Warn when a 現場ID is not 14 digits (said to be 14 digits by one source only)."""
    digits = normalize_digits(site_code)
    if not digits or (len(digits) == 14 and digits.isascii() and digits.isdigit()):
        return []
    message = _("A 現場ID is usually 14 digits. It was saved as typed; check it in CCUS.")
    return [SoftWarning("site_code_format", str(message))]


@transaction.atomic
def site_save(
    *, organization: Organization, actor: User, request: HttpRequest, site: Site | None = None,
    name: str, address: str = "", site_code: str = "", engagements=(),
) -> tuple[Site, list[SoftWarning]]:  # fmt: skip
    """Create or change a site and the subcontractors assigned to it."""
    site = site or Site(organization=organization)
    digits = normalize_digits(site_code)
    site.name, site.address = name, address
    site.site_code = digits if digits.isascii() and digits.isdigit() else site_code.strip()
    site.full_clean()
    site.save()
    site.engagements.set(
        Engagement.objects.filter(prime=organization, uuid__in=[e.uuid for e in engagements])
    )
    audit_record(action="site.save", actor=actor, organization=organization, target=site,
                 request=request)  # fmt: skip
    return site, site_code_warnings(site_code)


@transaction.atomic
def site_roster_change(
    *, site: Site, worker_uuids: list, add: bool, actor: User, request: HttpRequest
) -> int:
    """Put workers on a site's roster or take them off; only workers the prime sees there."""
    if add:
        firms = [v.firm.id for v in visible_subcontractors(site.organization, site=site)]
        workers = list(Worker.objects.filter(organization_id__in=firms, uuid__in=worker_uuids))
        site.workers.add(*workers)
    else:
        workers = list(site.workers.filter(uuid__in=worker_uuids))
        site.workers.remove(*workers)
    if workers:
        audit_record(
            action="site.roster_add" if add else "site.roster_remove",
            actor=actor,
            organization=site.organization,
            target=site,
            request=request,
            workers=len(workers),
        )
    return len(workers)
