"""A subcontractor a prime may see, read as one row: its models are made only where used.

The rollup draws up to 300 rows and figures thousands; it needs names, ids and UUIDs, not
an engagement and a firm object for each of them.
"""

from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple
from uuid import UUID

from django.db import DEFAULT_DB_ALIAS

from ccus.oversight.models import Engagement
from vault.firms.models import Organization


class Reached(NamedTuple):
    """What the rollup reads of an engagement and its subcontractor: one row, no model."""

    id: int
    uuid: UUID
    prime_id: int
    subcontractor_id: int
    status: str
    sharing: str
    pass_up: bool
    name: str
    confirmation_policy_days: int
    direct: bool


# Reached's columns; the rollup, the drill-down and the roster read nothing else of either.
REACHED_COLUMNS = [*Reached._fields[:7], "subcontractor__name",
                   "subcontractor__confirmation_policy_days", "direct"]  # fmt: skip


@dataclass
class Visible:
    """A subcontractor the prime may see, through which engagement and at which tier."""

    reached: Reached
    tier: int
    via: str = ""
    stats: dict = field(default_factory=dict)
    firm_id: int = field(init=False)  # read a few times per firm on every view of the rollup

    def __post_init__(self) -> None:
        self.firm_id = self.reached.subcontractor_id

    @property
    def name(self) -> str:
        return self.reached.name

    @cached_property
    def engagement(self) -> Engagement:
        """Return the engagement with its subcontractor as models, made once when first used."""
        r = self.reached
        firm = Organization.from_db(
            DEFAULT_DB_ALIAS, ["id", "name", "confirmation_policy_days"],
            (r.subcontractor_id, r.name, r.confirmation_policy_days),
        )  # fmt: skip
        engagement = Engagement.from_db(DEFAULT_DB_ALIAS, Reached._fields[:7], r[:7])
        engagement.subcontractor = firm
        return engagement

    @property
    def firm(self) -> Organization:
        return self.engagement.subcontractor
