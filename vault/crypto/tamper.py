"""Values that did not open for their record: remembered for the health report, never shown."""

import logging

from django.apps import apps
from django.db import DatabaseError, models, transaction

from vault.compiled import CompiledQuery
from vault.crypto.models import UnreadableValue

log = logging.getLogger(__name__)


def record_unreadable(instance: models.Model, field: str, organization_id: int) -> None:
    """Remember that a field of a record did not open (the record and field, never the value)."""
    alias = instance._state.db or "default"
    try:
        with transaction.atomic(using=alias):
            UnreadableValue.objects.using(alias).bulk_create(
                [
                    UnreadableValue(
                        organization_id=organization_id,
                        model=instance._meta.label,
                        record_uuid=instance.uuid,
                        field=field,
                    )
                ],
                ignore_conflicts=True,
            )
    except DatabaseError as error:  # a read must not fail because the note could not be kept
        log.error("encrypted_value=unrecorded error=%s", type(error).__name__)


def _still_unreadable(entry: UnreadableValue) -> bool:
    from vault.crypto.fields import UNREADABLE, read_value

    model = apps.get_model(entry.model)
    record = model._base_manager.filter(uuid=entry.record_uuid).first()
    if record is None:
        return False
    return read_value(record, entry.field) is UNREADABLE


# The health report asks on every view; almost always there is none.
_unreadable_of_firm = CompiledQuery(
    lambda organization_id: UnreadableValue.objects.filter(
        organization_id=organization_id
    ).order_by("id")
)


def unreadable_values(organization) -> list[UnreadableValue]:
    """Return the firm's values that still do not open; forget those fixed or deleted since."""
    entries = _unreadable_of_firm(organization.pk)
    fixed = [entry.pk for entry in entries if not _still_unreadable(entry)]
    if fixed:
        UnreadableValue.objects.filter(pk__in=fixed).delete()
    return [entry for entry in entries if entry.pk not in fixed]


def scan_model(model: type[models.Model], *, batch_size: int = 1000) -> tuple[int, int]:
    """Open every stored value of a model; remember those that do not open. Return counts."""
    from vault.crypto.envelope import open_sealed
    from vault.crypto.fields import encrypted_fields
    from vault.crypto.keyring import UndecryptableValue
    from vault.crypto.rewrite import rows_of

    Organization = apps.get_model("vault", "Organization")
    firm_ids: dict = {}
    fields = encrypted_fields(model)
    opened = refused = 0
    for batch in rows_of(model, model._base_manager.db, batch_size):
        for pk, record_uuid, organization_uuid, *tokens in batch:
            for field, token in zip(fields, tokens, strict=True):
                if token is None:
                    continue
                try:
                    open_sealed(field.place, record_uuid, organization_uuid, bytes(token))
                    opened += 1
                except UndecryptableValue:
                    refused += 1
                    if organization_uuid not in firm_ids:
                        firm_ids[organization_uuid] = Organization.objects.get(
                            uuid=organization_uuid
                        ).pk
                    record = model(pk=pk, uuid=record_uuid)
                    log.warning(
                        "encrypted_value=unreadable model=%s record=%s field=%s",
                        model._meta.label, record_uuid, field.name,
                    )  # fmt: skip
                    record_unreadable(record, field.name, firm_ids[organization_uuid])
    return opened, refused
