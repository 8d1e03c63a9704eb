"""Blind-index values for CCUS IDs and registered emails, and exact lookups through them."""

from django.db.models import QuerySet

from ccus.accounts.addresses import email_index_value
from ccus.accounts.validators import normalize_ccus_id
from vault.crypto.blind_index import blind_index
from vault.firms.models import Organization

# One purpose for both kinds of ID, so the same digits saved as a business and a worker ID match.
ID_PURPOSE = "ccus-id"
EMAIL_PURPOSE = "registered-email"


def ccus_id_index(organization: Organization, ccus_id: str) -> str:
    """Return the blind index of a normalised 14-digit ID in this organization."""
    return blind_index(organization.uuid, ID_PURPOSE, ccus_id)


def email_index(organization: Organization, email: str) -> str:
    """Return the blind index of a registered email address in this organization."""
    return blind_index(organization.uuid, EMAIL_PURPOSE, email_index_value(email))


def filter_by_ccus_id(queryset: QuerySet, organization: Organization, raw_id: str) -> QuerySet:
    """Narrow queryset to the accounts of organization whose ID equals raw_id."""
    return queryset.filter(
        organization=organization,
        ccus_id_index=ccus_id_index(organization, normalize_ccus_id(raw_id)),
    )
