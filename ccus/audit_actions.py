"""The labels of the audit actions that the CCUS capabilities record."""

from django.utils.translation import gettext_lazy as _

from vault.audit.labels import register_actions

ACTIONS = {
    "worker.create": _("Worker added"),
    "worker.update": _("Worker changed"),
    "worker.confirm": _("Worker confirmed as correct"),
    "worker.left": _("Worker marked as left"),
    "company.create": _("Business added"),
    "company.update": _("Business changed"),
    "company.confirm": _("Business confirmed as correct"),
    "company.delete": _("Business account moved to the trash"),
    "company.restore": _("Business account restored from the trash"),
    "company.purge": _("Business account deleted for good (30 days in the trash)"),
    "worker.delete": _("Worker account moved to the trash"),
    "worker.restore": _("Worker account restored from the trash"),
    "worker.purge": _("Worker account deleted for good (30 days in the trash)"),
    "company.fee_save": _("Administrator ID fee date saved"),
    "company.fee_paid": _("Administrator ID fee marked paid"),
    "company.fee_delete": _("Administrator ID fee date removed"),
    "secret.reveal": _("Secret value shown"),
    "secret.copy": _("Secret value copied without being shown"),
    "recovery.start": _("Login recovery started"),
    "recovery.complete": _("Login recovery finished"),
    "recovery.sheet": _("Inquiry sheet printed"),
    "handover.email_moved": _("Handover: registered email moved"),
    "handover.credentials_returned": _("Handover: card and login details handed back"),
    "handover.consent_withdrawn": _("Handover: consent withdrawal recorded"),
    "handover.affiliation_removed": _("Handover: link to the firm removed in CCUS"),
    "handoff.create": _("Handoff link made"),
    "handoff.view": _("Handoff link opened by the worker"),
    "handoff.wrong_pin": _("Handoff link: wrong PIN"),
    "handoff.burn": _("Handoff link closed after wrong PINs"),
    "handoff.expire": _("Handoff link expired unopened"),
    "handoff.revoke": _("Handoff link cancelled"),
    "engagement.invite": _("Subcontractor invited"),
    "engagement.accept": _("Invitation accepted"),
    "engagement.refuse": _("Invitation refused"),
    "engagement.end": _("Engagement ended"),
    "site.save": _("Site saved"),
    "site.roster_add": _("Workers added to a site roster"),
    "site.roster_remove": _("Workers taken off a site roster"),
    "roster.import": _("Roster imported"),
    "roster.export": _("Roster downloaded"),
    "backup.export": _("Full backup downloaded"),
    "backup.restore": _("Full backup restored"),
    "reminders.preferences": _("Reminder email settings changed"),
    "api_token.issue": _("API token issued"),
    "api_token.revoke": _("API token revoked"),
    "api.read": _("Read through the API"),
    "calendar.issue": _("Calendar address issued"),
    "calendar.revoke": _("Calendar address stopped"),
    "blind_index.rotate": _("Search index key changed"),
}


def register() -> None:
    """Give the audit log the labels of these actions."""
    register_actions(ACTIONS)
