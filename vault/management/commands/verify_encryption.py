"""`manage.py verify_encryption`: open every stored value; count and remember those that do not."""

from django.core.management.base import BaseCommand, CommandError

from vault.crypto.rewrite import encrypted_models
from vault.crypto.tamper import scan_model


class Command(BaseCommand):
    help = (
        "Open every encrypted value for its record. Values that do not open (copied from "
        "another record, altered, or their key gone) are logged by record and field and shown "
        "on the firm's health report. Nothing is written to the values."
    )

    def handle(self, *args, **options) -> None:
        refused_total = 0
        for model in encrypted_models():
            opened, refused = scan_model(model)
            refused_total += refused
            self.stdout.write(f"{model._meta.label}: opened={opened} unreadable={refused}")
        if refused_total:
            raise CommandError(f"{refused_total} values did not open for their record.")
        self.stdout.write(self.style.SUCCESS("Every value opened for its record."))
