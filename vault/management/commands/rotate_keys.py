"""`manage.py rotate_keys`: re-wrap data keys under the newest master key, or rotate a firm's."""

import time
import uuid
from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from vault.audit.services import audit_record
from vault.crypto.retire import firm_rows, stale_values
from vault.crypto.rotation import firm_key_rotate, firm_key_versions, master_rewrap

MASTER = ("keys", "current", "rewrapped", "stale", "changed_meanwhile", "unreadable")
FIRM = ("rows", "current", "rewritten", "verified", "changed_meanwhile", "taken_later",
        "held_by_writers", "unreadable")  # fmt: skip


class Command(BaseCommand):
    help = (
        "Re-wrap every firm's data key under the newest master key (the key table only, in "
        "seconds). With --firm UUID, re-encrypt that firm under a new data key and destroy the "
        "old one. Safe to re-run; a killed run is finished by the next."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--firm", type=uuid.UUID, help="UUID of the firm whose key to rotate.")
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument("--dry-run", action="store_true", help="Count; write nothing.")
        parser.add_argument(
            "--no-wait",
            action="store_true",
            help="Do not wait for other processes to see a new firm key; keep the old one.",
        )

    def handle(self, *args, firm, batch_size: int, dry_run: bool, no_wait: bool, **options):
        if firm is None:
            counts = master_rewrap(dry_run=dry_run)
            self.stdout.write("master key: " + " ".join(f"{n}={counts[n]}" for n in MASTER))
        else:
            if dry_run:
                raise CommandError("--dry-run is for the master key only.")
            self._announce(firm)
            counts = firm_key_rotate(
                organization_uuid=firm,
                batch_size=batch_size,
                progress=self._progress(firm_rows(firm)),
                wait=None if no_wait else self._wait,
            )
            figures = " ".join(f"{n}={counts[n]}" for n in FIRM)
            self.stdout.write(f"firm {firm}: {figures}")
            self.stdout.write(
                f"old keys destroyed={counts['old_keys_destroyed']} kept={counts['old_keys_kept']}"
            )
            if counts["old_keys_kept"] and not no_wait and not counts["unreadable"]:
                self.stdout.write(
                    "Some values are still under an older key (rows that writers kept busy): "
                    "run the command again to finish."
                )
        if not dry_run:
            audit_record(
                action="keys.rotate", firm=bool(firm), **{n: counts[n] for n in MASTER + FIRM}
            )
        if counts["unreadable"]:
            raise CommandError(
                f"{counts['unreadable']} values or keys could not be read. Configure the key that "
                "wrote them and run again."
            )
        self.stdout.write(
            self.style.SUCCESS("Done." if not dry_run else "Dry run: nothing written.")
        )

    def _announce(self, firm: uuid.UUID) -> None:
        versions = firm_key_versions(firm)
        if len(versions) > 1:
            stale = stale_values(firm, versions[0])
            self._line(
                f"Finishing the rotation to key version {versions[0]}: {stale:,} values still "
                "under an older key."
            )

    def _progress(self, total: int):
        done: Counter = Counter()

        def report(rotation_pass: int, rows: int) -> None:
            done[rotation_pass] += rows
            what = "re-encrypted" if rotation_pass == 1 else "checked again"
            self._line(f"pass {rotation_pass}: {done[rotation_pass]:,} of {total:,} rows {what}")

        return report

    def _line(self, text: str) -> None:
        self.stdout.write(text)
        self.stdout.flush()  # seen at once through a pipe or a log

    def _wait(self, seconds: float) -> None:
        self._line(f"Waiting {seconds:.0f} s for every process to see the new key…")
        time.sleep(seconds)
