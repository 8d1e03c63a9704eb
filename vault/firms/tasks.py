"""Background work of the security core; tasks take ids only."""

import logging

from celery import shared_task
from django.conf import settings

log = logging.getLogger(__name__)


@shared_task(
    autoretry_for=(OSError,), retry_backoff=True, retry_jitter=True, max_retries=5, acks_late=True
)
def send_invitation(membership_id: int) -> None:
    """Email an invited member a link to the firm (and to set a password if they have none)."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from vault.emails import make_message
    from vault.firms.models import Membership

    membership = (
        Membership.objects.select_related("user", "organization").filter(id=membership_id).first()
    )
    if membership is None:
        return
    user = membership.user
    context = {
        "organization": membership.organization,
        "role": membership.get_role_display(),
        "base_url": settings.SITE_URL,
        "needs_password": not user.has_usable_password(),
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }
    make_message("invitation", user.email, context).send()
    log.info("email=invitation membership=%s sent=true", membership_id)
