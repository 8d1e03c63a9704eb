"""What the firm should do next: its problems in order of urgency, and its first steps."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ccus.accounts.filters import FILTER_LABELS
from vault.firms.models import Membership, Role

# Most urgent first: a lapsed registration or card stops work; a missing ID or email stops a
# recovery; a stale record only may be wrong.
NEXT_STEPS = {
    "expired": _(
        "Apply for renewal in CCUS now: it cannot be used until renewed. "
        "Then enter the new expiry date here."
    ),
    "expiring": _(
        "Renewal opens 6 months before the date: apply in CCUS in good time, "
        "then enter the new expiry date here."
    ),
    "missing_id": _("Enter the ID from the card or the registration-complete notice."),
    "missing_email": _(
        "Enter the registered email: CCUS sends a new password there when one is lost."
    ),
    "unconfirmed": _("Check each against CCUS and mark it as confirmed."),
}


def next_steps(sections: list[tuple[str, str, dict]]) -> list[dict]:
    """Return the problems that have accounts, most urgent first, each with its filtered list."""
    steps = []
    for name, action in NEXT_STEPS.items():
        for title, kind, counts in sections:
            if counts[name]:
                steps.append(
                    {
                        "label": FILTER_LABELS[name],
                        "accounts": title,
                        "count": counts[name],
                        "action": action,
                        "url": f"{reverse(f'ccus:{kind}')}?filter={name}",
                    }
                )
    return steps


def first_steps(membership: Membership, totals: dict[str, int]) -> list[dict] | None:
    """Return the getting-started steps, each ticked when done; None once the accounts are in.

    A step links to its page only for a member whose role may take it.
    """
    if totals["companies"] and totals["workers"]:
        return None
    invited = Membership.objects.filter(organization_id=membership.organization_id).count() > 1
    steps = [
        (_("Add the business account (事業者ID)"), "ccus:companies-create", Role.STAFF,
         bool(totals["companies"])),
        (_("Import the workers from a roster file"), "ccus:import", Role.STAFF,
         bool(totals["workers"])),
        (_("Invite your staff"), "members", Role.ADMIN, invited),
    ]  # fmt: skip
    return [
        {"label": label, "done": done, "url": reverse(url) if membership.has_role(role) else ""}
        for label, url, role, done in steps
    ]
