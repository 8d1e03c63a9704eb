"""A full backup of a firm's accounts, secrets included, as a passphrase-protected AES zip."""

import csv
import io

import pyzipper

from ccus.accounts.models import Company, Worker
from vault.crypto.fields import encrypted_fields

MIN_PASSPHRASE = 12


def _table(model, organization) -> tuple[list[str], list[list]]:
    names = ["uuid", "name", "name_kana", *[f.name for f in encrypted_fields(model)]]
    plain = [f.name for f in model._meta.concrete_fields
             if f.name not in names and not f.is_relation and f.name != "id"]  # fmt: skip
    header = [*names, *plain, "company"] if model is Worker else [*names, *plain]
    rows = []
    accounts = model.objects.filter(organization=organization).order_by("id")
    if model is Worker:
        accounts = accounts.select_related("company")
    for account in accounts:
        row = ["" if getattr(account, n) is None else str(getattr(account, n)) for n in names]
        row += ["" if getattr(account, n) is None else str(getattr(account, n)) for n in plain]
        if model is Worker:
            row.append(account.company.name if account.company else "")
        rows.append(row)
    return header, rows


def _csv(header: list[str], rows: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def backup_archive(organization, passphrase: str) -> tuple[bytes, dict[str, int]]:
    """Return the AES-256 zip of the firm's business and worker accounts, and the row counts."""
    counts = {}
    buffer = io.BytesIO()
    with pyzipper.AESZipFile(
        buffer, "w", compression=pyzipper.ZIP_DEFLATED, encryption=pyzipper.WZ_AES
    ) as archive:
        archive.setpassword(passphrase.encode())
        for model, name in ((Company, "companies"), (Worker, "workers")):
            header, rows = _table(model, organization)
            counts[name] = len(rows)
            archive.writestr(f"{name}.csv", _csv(header, rows))
    return buffer.getvalue(), counts
