"""Django's registry of the ccus app's models; each model lives with its capability."""

from ccus.accounts.models import CcusAccount, Company, ManagerIdFee, Worker
from ccus.api.models import ApiToken
from ccus.calendar.models import CalendarFeed
from ccus.handoff.models import HandoffLink
from ccus.health.models import HealthSnapshot
from ccus.oversight.models import Engagement, OversightDigest, Site, SubcontractorSnapshot
from ccus.recovery.models import HandoverStep, RecoveryCase
from ccus.reminders.models import ReminderDelivery, ReminderPreference
from ccus.rosters.models import BackupRestore, ImportJob, ImportMapping

__all__ = [
    "ApiToken", "BackupRestore", "CalendarFeed", "CcusAccount", "Company", "Engagement",
    "HandoffLink", "HandoverStep", "HealthSnapshot", "ImportJob", "ImportMapping", "ManagerIdFee",
    "OversightDigest", "RecoveryCase", "ReminderDelivery", "ReminderPreference", "Site",
    "SubcontractorSnapshot", "Worker",
]  # fmt: skip
