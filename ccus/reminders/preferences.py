"""Writes about reminders: a member's choice of kinds, keeping expiry warnings with someone."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ccus.reminders.models import ReminderKind, ReminderPreference
from vault.audit.services import audit_record
from vault.firms.models import Membership, Role

# Kinds that at least one owner or admin of a firm must keep receiving.
KEPT_KINDS = {ReminderKind.REGISTRATION_EXPIRY, ReminderKind.CARD_EXPIRY}


def wanted_kinds(membership: Membership) -> list[str]:
    """Return the kinds the member receives for the firm."""
    off = set(
        ReminderPreference.objects.filter(
            user=membership.user, organization=membership.organization
        ).values_list("kind", flat=True)
    )
    return [kind for kind in ReminderKind.values if kind not in off]


@transaction.atomic
def reminder_preferences_set(
    *, membership: Membership, kinds: set[str], request: HttpRequest
) -> None:
    """Save which kinds the member receives; someone in the firm keeps the expiry warnings."""
    organization = membership.organization
    dropped = KEPT_KINDS - kinds
    if dropped:
        others = (
            Membership.objects.filter(organization=organization, role__in=[Role.OWNER, Role.ADMIN])
            .exclude(user=membership.user)
            .select_for_update()
        )
        for kind in dropped:
            opted_out = ReminderPreference.objects.filter(organization=organization, kind=kind)
            keeping = others.exclude(user_id__in=opted_out.values("user_id"))
            if not keeping.exists():
                raise ValidationError(
                    _(
                        "Nobody else in the firm receives “%(kind)s”. Someone must keep the "
                        "expiry reminders: ask another owner or admin to receive them first."
                    ),
                    code="kept_kind",
                    params={"kind": ReminderKind(kind).label},
                )
    ReminderPreference.objects.filter(user=membership.user, organization=organization).delete()
    ReminderPreference.objects.bulk_create(
        ReminderPreference(user=membership.user, organization=organization, kind=kind)
        for kind in ReminderKind.values
        if kind not in kinds
    )
    audit_record(
        action="reminders.preferences",
        actor=membership.user,
        organization=organization,
        request=request,
        kinds=sorted(kinds),
    )
