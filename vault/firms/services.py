"""Writes to firms and their members: invitations, removals, the confirmation policy."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from vault.audit.services import audit_record
from vault.auth.models import User
from vault.crypto.firm_keys import firm_keys_destroy
from vault.firms.models import Membership, Organization, Role


@transaction.atomic
def membership_invite(
    *, organization: Organization, email: str, role: str, actor: User, request: HttpRequest
) -> Membership:
    """Add a person to the firm by email; a new user gets an invitation to set a password."""
    if (
        role == Role.OWNER
        and not Membership.objects.filter(
            user=actor, organization=organization, role=Role.OWNER
        ).exists()
    ):
        raise PermissionDenied
    email = email.strip().lower()
    user = User.objects.filter(email=email).first()
    invited = user is None
    if invited:
        user = User.objects.create_user(email, None)
    if Membership.objects.filter(user=user, organization=organization).exists():
        raise ValidationError(
            {"email": ValidationError(_("This person is already a member."), code="member")}
        )
    membership = Membership.objects.create(user=user, organization=organization, role=role)
    audit_record(
        action="member.invite",
        actor=actor,
        organization=organization,
        target=user,
        request=request,
        new_user=invited,
    )
    from vault.firms.tasks import send_invitation

    transaction.on_commit(lambda: send_invitation.delay(membership.id))
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor: User, request: HttpRequest) -> None:
    """Remove a member; the last owner cannot be removed, and only owners remove owners."""
    organization = membership.organization
    actor_membership = Membership.objects.get(user=actor, organization=organization)
    if membership.role == Role.OWNER and actor_membership.role != Role.OWNER:
        raise PermissionDenied
    owners = Membership.objects.select_for_update().filter(
        organization=organization, role=Role.OWNER
    )
    if membership.role == Role.OWNER and owners.count() == 1:
        raise ValidationError(
            _("A firm needs at least one owner. Make someone else owner first."), code="last_owner"
        )
    audit_record(
        action="member.remove",
        actor=actor,
        organization=organization,
        target=membership.user,
        request=request,
    )
    membership.delete()


@transaction.atomic
def organization_set_policy(
    *, organization: Organization, days: int, actor: User, request: HttpRequest
) -> None:
    """Change how often the firm's records must be confirmed."""
    organization.confirmation_policy_days = days
    organization.full_clean()
    organization.save(update_fields=["confirmation_policy_days"])
    audit_record(
        action="organization.policy",
        actor=actor,
        organization=organization,
        request=request,
        days=days,
    )


@transaction.atomic
def organization_delete(*, organization: Organization, actor=None, request=None) -> int:
    """Delete a firm with all it holds, destroying its data keys first (crypto-shredding).

    Once its keys are gone, the firm's values cannot be read from any earlier dump or backup
    of the main database. Return how many data key versions were destroyed.
    """
    destroyed = firm_keys_destroy(organization_uuid=organization.uuid)
    audit_record(
        action="firm.delete",
        actor=actor,
        request=request,
        keys_destroyed=destroyed,
    )
    organization.delete()
    return destroyed
