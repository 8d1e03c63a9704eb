"""`manage.py restore_check`: prove with a sample that this database's secrets can be read."""

import logging
from collections import Counter

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

from ccus.accounts.lookup import index_fields
from ccus.accounts.models import Company, Worker
from vault.crypto.fields import UNREADABLE, encrypted_fields, read_value

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Decrypt a random sample of every encrypted column with the configured keys, and check "
        "that the blind index of the sampled IDs matches the configured blind-index key. "
        "Prints counts only, never a value; fails if one value cannot be read."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--sample", type=int, default=50, help="Records per table.")

    def _sample(self, model, size: int) -> Counter:
        counts: Counter = Counter()
        for pk in model.objects.order_by("?").values_list("pk", flat=True)[:size]:
            counts["records"] += 1
            try:
                record = model.objects.get(pk=pk)
                values = [read_value(record, field.name) for field in encrypted_fields(model)]
            except Exception as error:  # a missing master or data key, whatever it raises
                log.error("restore_check=unreadable model=%s pk=%s error=%s",
                          model._meta.label, pk, type(error).__name__)  # fmt: skip
                values = [UNREADABLE]
            if UNREADABLE in values:
                counts["unreadable"] += 1
                continue
            counts["values"] += sum(value is not None for value in values)
            if model in (Company, Worker) and (record.ccus_id or record.registered_email):
                counts.update(self._index(record))
        return counts

    def _index(self, account) -> Counter:
        """Check the account's ID and email index against the configured blind-index key."""
        wanted = index_fields(
            account.organization, ccus_id=account.ccus_id, email=account.registered_email
        )
        found = (account.ccus_id_index_new, account.email_index_new)
        if found == (wanted["ccus_id_index_new"], wanted["email_index_new"]):
            return Counter(indexes=1)
        return Counter(indexes=1, index_mismatch=1)

    def handle(self, *args, sample: int, **options) -> None:
        totals: Counter = Counter()
        for model in apps.get_models():
            if not encrypted_fields(model):
                continue
            counts = self._sample(model, sample)
            totals.update(counts)
            self.stdout.write(
                f"{model._meta.label}: records={counts['records']} values={counts['values']} "
                f"unreadable={counts['unreadable']} indexes={counts['indexes']} "
                f"index_mismatch={counts['index_mismatch']}"
            )
        if totals["unreadable"]:
            raise CommandError(
                f"{totals['unreadable']} sampled records cannot be read: the master key "
                "(VAULT_ENCRYPTION_KEYS or the HSM) or the key table of the firms' data keys is "
                "not the one that wrote them. Bring both from where the keys are kept."
            )
        if totals["index_mismatch"]:
            raise CommandError(
                f"{totals['index_mismatch']} sampled accounts have a blind index made with another "
                "key than VAULT_BLIND_INDEX_KEY(S): searches by ID would not find them."
            )
        if not totals["values"]:
            raise CommandError("The sample holds no encrypted value: is this the right database?")
        self.stdout.write(self.style.SUCCESS(
            f"{totals['values']} encrypted values of {totals['records']} records were read with "
            "the configured keys."
        ))  # fmt: skip
