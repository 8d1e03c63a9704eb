"""The email that tells a subcontractor's owners a prime contractor invited their firm."""

import logging

from django.conf import settings
from django.urls import reverse

from ccus.oversight.models import Engagement
from vault.emails import make_message
from vault.firms.models import Membership, Role

log = logging.getLogger(__name__)


def invitation_context(engagement: Engagement) -> dict:
    """Name the two firms and link to the page where the invitation is answered: nothing more."""
    url = settings.SITE_URL.rstrip("/") + reverse("ccus:engagements")
    return {
        "prime": engagement.prime.name,
        "firm": engagement.subcontractor.name,
        "url": f"{url}#invitation-{engagement.uuid}",
    }


def send_invitation_email(engagement_id: int, user_id: int) -> bool:
    """Send the invitation to one owner while it is still open; return whether it was sent."""
    engagement = (
        Engagement.objects.select_related("prime", "subcontractor")
        .filter(id=engagement_id, status=Engagement.Status.INVITED)
        .first()
    )
    owner = (
        Membership.objects.select_related("user")
        .filter(user_id=user_id, role=Role.OWNER, user__is_active=True,
                organization_id=getattr(engagement, "subcontractor_id", None))
        .first()
    )  # fmt: skip
    if engagement is None or owner is None:
        return False
    # The same Message-ID for a copy sent again after a crash: it is the same email.
    headers = {"Message-ID": f"<engagement-{engagement.uuid}-{user_id}@ccus-vault>"}
    make_message(
        "engagement-invitation", owner.user.email, invitation_context(engagement), headers=headers
    ).send()
    log.info("email=engagement_invitation engagement=%s user=%s sent=true", engagement_id, user_id)
    return True
