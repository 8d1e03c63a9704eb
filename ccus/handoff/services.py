"""Writes of one-time links: create, open with the PIN, cancel, expire; each step audited."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from ccus.accounts.models import Worker
from ccus.handoff.models import HandoffLink
from ccus.handoff.sealing import WrongKey, new_pin, new_secret, seal, unseal, verifier
from vault.audit.services import audit_record

# The login items a link may carry, in the order the worker sees them.
ITEMS = ["ccus_id", "password", "security_code", "initial_password", "registered_email"]
MAX_WRONG_PINS = 3
PIN_LENGTHS = range(4, 9)


@dataclass
class NewLink:
    """A link just made: the secret part and the PIN exist only here, to show once."""

    link: HandoffLink
    secret: str
    pin: str


@dataclass
class Opened:
    """What one attempt to open a link came to."""

    link: HandoffLink
    values: dict = field(default_factory=dict)
    wrong_pin: bool = False

    @property
    def attempts_left(self) -> int:
        return MAX_WRONG_PINS - self.link.wrong_pins


def _close(link: HandoffLink, status: str, now: datetime.datetime) -> None:
    link.status, link.closed_at, link.ciphertext = status, now, None
    link.save(update_fields=["status", "closed_at", "ciphertext"])


@transaction.atomic
def handoff_create(
    *, worker: Worker, fields: list[str], pin_length: int, actor, request: HttpRequest | None
) -> NewLink:
    """Seal the chosen items of a worker under a fresh secret and PIN, valid for 72 hours."""
    chosen = [name for name in ITEMS if name in fields and getattr(worker, name) not in ("", None)]
    if not chosen:
        raise ValidationError(_("Choose at least one item that is saved."), code="no_items")
    if pin_length not in PIN_LENGTHS:
        raise ValidationError(_("A PIN has 4 to 8 digits."), code="pin_length")
    secret, pin, now = new_secret(), new_pin(pin_length), timezone.now()
    link = HandoffLink(
        organization=worker.organization,
        worker=worker,
        fields=chosen,
        verifier=verifier(secret),
        created_by=actor,
        created_at=now,
        expires_at=now + datetime.timedelta(hours=settings.HANDOFF_LINK_HOURS),
    )
    values = {name: str(getattr(worker, name)) for name in chosen}
    link.salt, link.nonce, link.ciphertext = seal(
        values, link_uuid=link.uuid, secret=secret, pin=pin
    )
    link.save()
    audit_record(
        action="handoff.create",
        actor=actor,
        organization=worker.organization,
        target=worker,
        request=request,
        items=chosen,
        pin_digits=pin_length,
    )
    return NewLink(link, secret, pin)


def _expire(link: HandoffLink, now: datetime.datetime, request: HttpRequest | None) -> None:
    """Close a link whose 72 hours are over and record that it expired unopened."""
    _close(link, HandoffLink.Status.EXPIRED, now)
    audit_record(
        action="handoff.expire",
        organization_id=link.organization_id,
        target=link.worker,
        request=request,
    )


@transaction.atomic
def handoff_open(*, uuid, secret: str, pin: str, request: HttpRequest) -> Opened:
    """Open a link once with its secret part and PIN; three wrong PINs burn it."""
    links = HandoffLink.objects.select_for_update().select_related("worker")
    link = links.filter(uuid=uuid).first()
    if link is None or link.verifier != verifier(secret):
        # A mistyped or guessed link: nothing to count against the real one.
        raise Http404("No such link")
    now = timezone.now()
    if link.status == HandoffLink.Status.OPEN and link.expires_at <= now:
        _expire(link, now, request)
    if link.status == HandoffLink.Status.OPEN and link.worker.deleted_at is not None:
        _close(link, HandoffLink.Status.REVOKED, now)  # the worker was moved to the trash
    if link.status != HandoffLink.Status.OPEN:
        return Opened(link)
    try:
        values = unseal(
            link.ciphertext, link_uuid=link.uuid, secret=secret, pin=pin,
            salt=link.salt, nonce=link.nonce,
        )  # fmt: skip
    except WrongKey:
        link.wrong_pins += 1
        link.save(update_fields=["wrong_pins"])
        burnt = link.wrong_pins >= MAX_WRONG_PINS
        if burnt:
            _close(link, HandoffLink.Status.BURNT, now)
        audit_record(
            action="handoff.burn" if burnt else "handoff.wrong_pin",
            organization_id=link.organization_id,
            target=link.worker,
            request=request,
            wrong_pins=link.wrong_pins,
        )
        return Opened(link, wrong_pin=True)
    _close(link, HandoffLink.Status.VIEWED, now)
    audit_record(
        action="handoff.view",
        organization_id=link.organization_id,
        target=link.worker,
        request=request,
        items=list(values),
    )
    return Opened(link, values=values)


@transaction.atomic
def handoff_expire_if_due(*, link: HandoffLink, request: HttpRequest) -> HandoffLink:
    """Expire a link seen after its 72 hours (no secret needed for that); return it fresh."""
    link = HandoffLink.objects.select_for_update().select_related("worker").get(pk=link.pk)
    now = timezone.now()
    if link.status == HandoffLink.Status.OPEN and link.expires_at <= now:
        _expire(link, now, request)
    return link


@transaction.atomic
def handoff_revoke(*, link: HandoffLink, actor, request: HttpRequest) -> None:
    """Cancel a link that was not opened yet."""
    link = HandoffLink.objects.select_for_update().get(pk=link.pk)
    if link.status != HandoffLink.Status.OPEN:
        return
    _close(link, HandoffLink.Status.REVOKED, timezone.now())
    audit_record(
        action="handoff.revoke",
        actor=actor,
        organization_id=link.organization_id,
        target=link.worker,
        request=request,
    )


@transaction.atomic
def handoffs_expire(now: datetime.datetime | None = None) -> int:
    """Close every open link past its 72 hours, wiping its ciphertext; return how many."""
    now = now or timezone.now()
    due = HandoffLink.objects.select_for_update(skip_locked=True).select_related("worker")
    expired = 0
    for link in due.filter(status=HandoffLink.Status.OPEN, expires_at__lte=now):
        _expire(link, now, None)
        expired += 1
    return expired
