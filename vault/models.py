"""Django's registry of the vault app's models; each model lives with its package."""

from vault.audit.models import AuditEvent
from vault.auth.models import User
from vault.crypto.models import FirmKey, UnreadableValue
from vault.firms.models import Membership, Organization

__all__ = ["AuditEvent", "FirmKey", "Membership", "Organization", "UnreadableValue", "User"]
