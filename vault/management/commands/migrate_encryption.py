"""`manage.py migrate_encryption`: rewrite old-format values bound to their record, verified."""

from collections import Counter

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from vault.audit.services import audit_record
from vault.crypto.rewrite import encrypted_models
from vault.crypto.rotation import old_format_migrate

COLUMNS = ("rows", "current", "rewritten", "verified", "stale", "changed_meanwhile", "unreadable")


def migrate_all(models, *, batch_size: int, dry_run: bool, stdout, progress_bar: bool) -> Counter:
    """Migrate every given model, with a progress bar over all their rows; return the totals."""
    total_rows = sum(model._base_manager.count() for model in models)
    totals: Counter = Counter()
    with tqdm(total=total_rows, unit="rows", disable=not progress_bar, mininterval=0.5) as bar:
        for model in models:
            counts = old_format_migrate(
                model, batch_size=batch_size, dry_run=dry_run, progress=bar.update
            )
            totals.update(counts)
            figures = " ".join(f"{name}={counts[name]}" for name in COLUMNS)
            stdout.write(f"{model._meta.label}: {figures}")
    return totals


class Command(BaseCommand):
    help = (
        "Rewrite values of the old format (one key for every firm, pickled) in the new one: "
        "each bound to its table, column, record and firm under the firm's data key, and read "
        "back to verify. Safe to interrupt and to re-run; old values stay readable meanwhile."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument("--dry-run", action="store_true", help="Count; write nothing.")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, batch_size: int, dry_run: bool, no_progress: bool, **options):
        totals = migrate_all(
            encrypted_models(),
            batch_size=batch_size,
            dry_run=dry_run,
            stdout=self.stdout,
            progress_bar=not no_progress,
        )
        self.stdout.write("total: " + " ".join(f"{name}={totals[name]}" for name in COLUMNS))
        if not dry_run:
            audit_record(action="keys.migrate", **{name: totals[name] for name in COLUMNS})
        if totals["unreadable"]:
            raise CommandError(
                f"{totals['unreadable']} values could not be read. Add the key that wrote them "
                "to VAULT_ENCRYPTION_KEYS and run again."
            )
        self.stdout.write(self.style.SUCCESS("Dry run: nothing written." if dry_run else "Done."))
