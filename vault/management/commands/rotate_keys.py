"""`manage.py rotate_keys`: re-encrypt every encrypted column under the newest key."""

from collections import Counter

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

from vault.audit.services import audit_record
from vault.crypto.fields import encrypted_fields
from vault.crypto.rotation import rotate_model

COLUMNS = ("rows", "current", "rewritten", "stale", "changed_meanwhile", "unreadable")


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted value with the first key of VAULT_ENCRYPTION_KEYS. "
        "Safe to re-run; reports counts per model."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be rewritten; write nothing."
        )

    def handle(self, *args, batch_size: int, dry_run: bool, **options) -> None:
        totals: Counter = Counter()
        for model in apps.get_models():
            if not encrypted_fields(model):
                continue
            counts = rotate_model(model, batch_size=batch_size, dry_run=dry_run)
            totals.update(counts)
            figures = " ".join(f"{name}={counts[name]}" for name in COLUMNS)
            self.stdout.write(f"{model._meta.label}: {figures}")
        summary = " ".join(f"{name}={totals[name]}" for name in COLUMNS)
        self.stdout.write(f"total: {summary}")
        if not dry_run:
            audit_record(action="keys.rotate", **{name: totals[name] for name in COLUMNS})
        if totals["unreadable"]:
            raise CommandError(
                f"{totals['unreadable']} values could not be read with any configured key. "
                "Add the key that wrote them to VAULT_ENCRYPTION_KEYS and run again."
            )
        self.stdout.write(
            self.style.SUCCESS("Done." if not dry_run else "Dry run: nothing written.")
        )
