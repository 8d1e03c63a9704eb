"""What a digest asks for: its reminders grouped by what to do, each group with one line."""

import datetime

from django.utils.translation import gettext_lazy as _

from ccus.reminders.models import ReminderDelivery, ReminderKind

# In the order of the email, most urgent first.
GROUPS = {
    "expired": {
        "label": _("Already expired"),
        "action": _(
            "CCUS cannot be used with these until renewed: apply for renewal now, "
            "then enter the new expiry date in the vault."
        ),
    },
    "expiring": {
        "label": _("Expiring"),
        "action": _(
            "Apply for renewal in CCUS before the date (it opens 6 months before), "
            "then enter the new expiry date in the vault."
        ),
    },
    ReminderKind.FEE_DUE: {
        "label": ReminderKind.FEE_DUE.label,
        "action": _("Pay the 管理者ID利用料 by the date: an unpaid ID is suspended."),
    },
    ReminderKind.MISSING: {
        "label": ReminderKind.MISSING.label,
        "action": _(
            "Enter the missing ID or registered email from the card or the "
            "registration-complete notice."
        ),
    },
    ReminderKind.EMAIL_HEALTH: {
        "label": ReminderKind.EMAIL_HEALTH.label,
        "action": _(
            "Register each worker's own address in CCUS, then in the vault, so each can "
            "reset a lost password."
        ),
    },
    ReminderKind.UNCONFIRMED: {
        "label": ReminderKind.UNCONFIRMED.label,
        "action": _("Compare each with CCUS; if nothing changed, press “Contents are correct”."),
    },
    ReminderKind.ESCALATION: {
        "label": ReminderKind.ESCALATION.label,
        "action": _("Nobody answered the reminder: ask who looks after these to check them."),
    },
}
EXPIRIES = {ReminderKind.REGISTRATION_EXPIRY, ReminderKind.CARD_EXPIRY}


def reminder_group(delivery: ReminderDelivery, today: datetime.date) -> str:
    """Return the group of a reminder: an expiry is already expired or expiring as of today."""
    if delivery.kind in EXPIRIES:
        return "expired" if delivery.due_on and delivery.due_on < today else "expiring"
    return delivery.kind
