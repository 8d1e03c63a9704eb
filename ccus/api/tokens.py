"""Issue, revoke and check API tokens; every use is written to the firm's audit log."""

import datetime

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from ccus.api.models import ApiToken
from vault.audit.services import audit_record
from vault.firms.models import Organization
from vault.tokens import new_token, note_use, token_hash

TOKEN_PREFIX = "ccv_"  # noqa: S105  (a marker that tells a vault token apart, not a secret)
# Writing "last used" on every call would cost a query each time: a minute's precision will do.
LAST_USED_EVERY = datetime.timedelta(minutes=1)


@transaction.atomic
def api_token_issue(
    *, organization: Organization, name: str, actor, request: HttpRequest | None
) -> tuple[ApiToken, str]:
    """Make a read-only token for the firm; return it and the token text, shown once."""
    text = new_token(TOKEN_PREFIX)
    token = ApiToken.objects.create(
        organization=organization,
        name=name,
        prefix=text[: len(TOKEN_PREFIX) + 4],
        token_hash=token_hash(text),
        created_by=actor,
    )
    audit_record(
        action="api_token.issue",
        actor=actor,
        organization=organization,
        target=token,
        request=request,
    )
    return token, text


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor, request: HttpRequest | None) -> None:
    """Stop a token at once; later calls with it get 401."""
    if ApiToken.objects.filter(pk=token.pk, revoked_at=None).update(revoked_at=timezone.now()):
        audit_record(
            action="api_token.revoke",
            actor=actor,
            organization_id=token.organization_id,
            target=token,
            request=request,
        )


def api_token_for(text: str) -> ApiToken | None:
    """Return the live token behind a bearer text, or None."""
    token = (
        ApiToken.objects.select_related("organization")
        .filter(token_hash=token_hash(text), revoked_at=None)
        .first()
    )
    if token is not None:
        note_use(token, "last_used_at", LAST_USED_EVERY)
    return token


def api_read_record(request: HttpRequest, endpoint: str) -> None:
    """Write one API read to the audit log of the token's firm: which token, which endpoint."""
    audit_record(
        action="api.read",
        organization_id=request.auth.organization_id,
        target=request.auth,
        request=request,
        endpoint=[endpoint],
    )
