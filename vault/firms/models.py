"""Organizations (tenants), memberships with roles, and querysets scoped to a user's firms."""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vault.crypto.fields import EncryptedQuerySet


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    ADMIN = "admin", _("Admin")
    STAFF = "staff", _("Staff")
    VIEWER = "viewer", _("Viewer")


# Higher rank includes everything a lower rank may do.
ROLE_RANK = {Role.VIEWER: 0, Role.STAFF: 1, Role.ADMIN: 2, Role.OWNER: 3}


def roles_at_least(role: str) -> list[str]:
    """Return the roles whose rank is at least that of role."""
    return [r for r, rank in ROLE_RANK.items() if rank >= ROLE_RANK[role]]


class OrganizationQuerySet(models.QuerySet):
    def for_user(self, user, min_role: str = Role.VIEWER) -> "OrganizationQuerySet":
        """Return the organizations where user holds at least min_role."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            id__in=Membership.objects.filter(user=user, role__in=roles_at_least(min_role)).values(
                "organization_id"
            )
        )


def new_firm_code() -> str:
    """Return a random firm code to share with a prime contractor, e.g. `K7QX-2M9P`."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
    code = "".join(secrets.choice(alphabet) for _ in range(8))
    return f"{code[:4]}-{code[4:]}"


class Organization(models.Model):
    """A firm (tenant) whose vault holds one or more CCUS business and worker accounts."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("firm code"), max_length=9, unique=True, default=new_firm_code)
    confirmation_policy_days = models.PositiveIntegerField(
        _("confirm records every (days)"), default=180
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user's role in one organization."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.VIEWER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization} ({self.get_role_display()})"

    def has_role(self, role: str) -> bool:
        """Tell whether this membership's role is at least role."""
        return ROLE_RANK[self.role] >= ROLE_RANK[role]


class TenantQuerySet(EncryptedQuerySet):
    """A queryset of records that belong to an organization."""

    def for_user(self, user, min_role: str = Role.VIEWER) -> "TenantQuerySet":
        """Return the records of the organizations where user holds at least min_role."""
        return self.filter(organization__in=Organization.objects.for_user(user, min_role))
