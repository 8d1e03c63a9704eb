"""`manage.py rotate_blind_index`: write the blind indexes under the keys listed now."""

from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from ccus.accounts.models import Company, Worker
from ccus.accounts.reindex import reindex_accounts, unlisted_indexes
from vault.audit.services import audit_record
from vault.crypto.blind_index import index_keys, switching


class Command(BaseCommand):
    help = (
        "Rewrite the blind index of every ID and registered email under the keys listed in "
        "VAULT_BLIND_INDEX_KEYS. With the new and the old key listed it adds the new index "
        "(rebuild); with the new key alone it drops the old one. Safe to re-run."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, batch_size: int, **options) -> None:
        totals: Counter = Counter()
        for model in (Company, Worker):
            counts = reindex_accounts(model, batch_size=batch_size)
            counts["unlisted"] = unlisted_indexes(model)
            totals.update(counts)
            names = ("accounts", "rewritten", "current", "unreadable")
            figures = " ".join(f"{n}={counts[n]}" for n in names)
            self.stdout.write(f"{model._meta.label}: {figures} unlisted={counts['unlisted']}")
        audit_record(action="blind_index.rotate", **{n: totals[n] for n in
                     ("accounts", "rewritten", "current", "unreadable", "unlisted")})  # fmt: skip
        versions = [version for version, _key in index_keys()]
        if totals["unlisted"]:
            raise CommandError(
                f"{totals['unlisted']} accounts still hold an index under a key that is not "
                "listed: a process still runs with the old keys (restart every web and worker "
                "process with the same VAULT_BLIND_INDEX_KEYS and run this again), or their ID "
                f"or email does not open ({totals['unreadable']}; type them again)."
            )
        if switching():
            self.stdout.write(self.style.SUCCESS(
                f"Every account has its {versions[0]}| index. Next: list only the new key "
                f"(VAULT_BLIND_INDEX_KEYS={versions[0]}:<new key>), restart every web and worker "
                f"process, and run this again to drop the {versions[1]}| indexes."
            ))  # fmt: skip
        else:
            self.stdout.write(
                self.style.SUCCESS(f"Every index is {versions[0]}|; no other is left.")
            )
