"""What the API returns: figures, names, dates and (masked or shared) IDs; never a secret.

There is no field here for a password, security code, hint or email: the API cannot return one.
"""

import datetime
from uuid import UUID

from ninja import Schema
from pydantic import Field


class SubcontractorOut(Schema):
    """One subcontractor's readiness as the prime sees it."""

    uuid: UUID = Field(description="The engagement's UUID: the address of this subcontractor.")
    name: str
    tier: int = Field(description="1 for a direct subcontractor, 2 or 3 down the chain.")
    via: str = Field(description="The firm between, for tier 2 and 3.")
    shares_full_ids: bool
    score: int = Field(ge=0, le=100, description="Readiness score, 0 to 100.")
    business_account_confirmed: bool
    workers: int
    with_id: int
    confirmed_within_policy: int
    expiring_within_6_months: int
    expired: int
    without_registered_email: int
    unanswered_reminders: int
    last_update: datetime.datetime | None


class RollupOut(Schema):
    """Every subcontractor the prime may see."""

    firm: str
    subcontractors: list[SubcontractorOut]


class WorkerOut(Schema):
    """A subcontractor's worker: the ID masked unless the subcontractor shares full IDs."""

    uuid: UUID
    name: str
    name_kana: str
    status: str = Field(description="`active` or `left`.")
    worker_id: str = Field(description="Masked (•••• •••• ••12 34) unless shared in full.")
    worker_id_is_full: bool
    card_expires_on: datetime.date | None
    last_confirmed_at: datetime.datetime | None
    level: int | None


class RosterRowOut(WorkerOut):
    """A worker on a site's roster, with the subcontractor it belongs to."""

    subcontractor_uuid: UUID
    subcontractor: str


class SiteOut(Schema):
    """A site (現場) of the prime."""

    uuid: UUID
    name: str
    address: str
    site_code: str = Field(description="The CCUS 現場ID as typed, or empty.")
    subcontractor_uuids: list[UUID]


class ErrorOut(Schema):
    detail: str
