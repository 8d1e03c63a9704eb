"""A firm's full backup, secrets included: an AES-256 zip locked by a passphrase, and back."""

import csv
import datetime
import hashlib
import io
import json
import zlib
from dataclasses import dataclass

import pyzipper
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ccus.accounts.models import Company, ManagerIdFee, Worker
from vault.auth.models import User
from vault.crypto.fields import UNREADABLE, read_value
from vault.firms.models import Organization
from vault.spreadsheets import safe_cell, unsafe_cell

FORMAT = "ccus-vault-backup"
VERSION = 2
MIN_PASSPHRASE = 12
# A backup of 50,000 workers is far below this; anything larger is not one of ours.
MAX_MEMBER_BYTES = 200 * 1024 * 1024
# File in the zip -> what it holds. Workers come last: they point at business accounts.
TABLES = {"companies.csv": Company, "manager_id_fees.csv": ManagerIdFee, "workers.csv": Worker}
# Kept in step with the values by the services (blind indexes, last four digits, flags).
DERIVED = {"ccus_id_index", "ccus_id_index_new", "ccus_id_last4", "email_index", "email_index_new",
           "hint_is_code", "search_text"}  # fmt: skip


def backup_fields(model: type[models.Model]) -> list[models.Field]:
    """Return the fields a backup keeps for model: everything but keys and derived values."""
    return [
        field
        for field in model._meta.concrete_fields
        if not field.primary_key and field.name != "organization" and field.name not in DERIVED
    ]


def _records(model, organization: Organization) -> models.QuerySet:
    if model is ManagerIdFee:
        return model.objects.filter(company__organization=organization).order_by("id")
    # The firm comes with each account: its values open with the firm's data key.
    return model.objects.filter(organization=organization).select_related("organization")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return safe_cell(str(value))


def _value(record, model_field, related: dict, unreadable: list) -> str:
    if model_field.is_relation:
        return _text(related[model_field.related_model].get(getattr(record, model_field.attname)))
    value = read_value(record, model_field.attname)
    if value is UNREADABLE:  # lost already (the health report counts it): kept empty
        unreadable.append(model_field.name)
        return ""
    return _text(value)


def _table(model, organization: Organization, unreadable: list) -> tuple[list[str], list]:
    """Return the header and rows of one table; relations are written as UUIDs or emails."""
    fields = backup_fields(model)
    records = list(_records(model, organization).order_by("id"))
    companies = dict(Company.objects.filter(organization=organization).values_list("id", "uuid"))
    confirmers = {getattr(r, "last_confirmed_by_id", None) for r in records} - {None}
    users = dict(User.objects.filter(id__in=confirmers).values_list("id", "email"))
    related = {Company: companies, User: users}
    rows = [[_value(record, f, related, unreadable) for f in fields] for record in records]
    return [field.name for field in fields], rows


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def backup_archive(organization: Organization, passphrase: str) -> tuple[bytes, dict[str, int]]:
    """Return the AES-256 zip of the firm's business and worker accounts, and the row counts."""
    files, counts, unreadable = {}, {}, []
    for name, model in TABLES.items():
        header, rows = _table(model, organization, unreadable)
        files[name] = _csv(header, rows)
        counts[name.removesuffix(".csv")] = len(rows)
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "organization": {"uuid": str(organization.uuid), "name": organization.name},
        "created_at": timezone.now().isoformat(),
        "unreadable_values": len(unreadable),
        "files": {
            name: {"rows": counts[name.removesuffix(".csv")],
                   "sha256": hashlib.sha256(data).hexdigest()}
            for name, data in files.items()
        },
    }  # fmt: skip
    buffer = io.BytesIO()
    with pyzipper.AESZipFile(
        buffer, "w", compression=pyzipper.ZIP_DEFLATED, encryption=pyzipper.WZ_AES
    ) as archive:
        archive.setpassword(passphrase.encode())
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
        for name, data in files.items():
            archive.writestr(name, data)
    totals = {"companies": counts["companies"], "workers": counts["workers"]}
    return buffer.getvalue(), {**totals, "unreadable": len(unreadable)}


@dataclass
class Backup:
    """What a backup holds: whose it is, when it was made, and its tables as text."""

    organization: dict
    created_at: str
    tables: dict[str, list[dict[str, str]]]

    def as_json(self) -> str:
        """Return the backup as JSON, to keep (encrypted) between the preview and the restore."""
        return json.dumps(self.__dict__, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> "Backup":
        """Return the backup kept by as_json."""
        return cls(**json.loads(text))


DAMAGED = _(
    "This file cannot be read as a backup: it is incomplete or damaged (a download that stopped "
    "halfway, for example). Download the backup again and choose the new file."
)


def _damaged() -> ValidationError:
    return ValidationError(DAMAGED, code="damaged")


def _read_member(archive, name: str) -> bytes:
    info = archive.getinfo(name)
    if info.file_size > MAX_MEMBER_BYTES:
        raise _damaged()
    return archive.read(name)


def _rows(data: bytes) -> list[dict[str, str]]:
    reader = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    header = next(reader)
    return [{name: unsafe_cell(cell) for name, cell in zip(header, row, strict=True)}
            for row in reader]  # fmt: skip


def _manifest(archive) -> dict:
    try:
        manifest = json.loads(_read_member(archive, "manifest.json"))
    except KeyError as error:
        raise ValidationError(
            _("This zip is not a CCUS Vault backup, or it was made before restoring was "
              "possible. Download a new backup and restore that one."),
            code="not_a_backup",
        ) from error  # fmt: skip
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise ValidationError(
            _("This backup was made by another version of CCUS Vault and cannot be read here."),
            code="version",
        )
    return manifest


def read_backup(data: bytes, passphrase: str) -> Backup:
    """Open a backup zip with its passphrase; raise a ValidationError that says what is wrong."""
    try:
        with pyzipper.AESZipFile(io.BytesIO(data)) as archive:
            archive.setpassword(passphrase.encode())
            manifest = _manifest(archive)
            tables = {}
            for name, facts in manifest["files"].items():
                content = _read_member(archive, name)
                if name not in TABLES or hashlib.sha256(content).hexdigest() != facts["sha256"]:
                    raise _damaged()
                tables[name] = _rows(content)
    except RuntimeError as error:
        if "password" not in str(error):
            raise
        raise ValidationError(
            _("The passphrase does not open this backup. Type the passphrase chosen when the "
              "backup was downloaded (capitals and small letters count)."),
            code="passphrase",
        ) from error  # fmt: skip
    except (pyzipper.BadZipFile, zlib.error, EOFError, KeyError, ValueError, TypeError) as error:
        raise _damaged() from error
    if set(tables) != set(TABLES):
        raise _damaged()
    return Backup(manifest["organization"], manifest["created_at"], tables)
