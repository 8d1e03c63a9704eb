"""`manage.py migrate_keys`: create or update the key table in its own database, if it has one."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Run the migrations of the key database named by VAULT_KEYS_DATABASE_URL. Without it "
        "the key table lives in the main database and `migrate` creates it."
    )

    def handle(self, *args, **options) -> None:
        if "keys" not in settings.DATABASES:
            self.stdout.write("The key table lives in the main database.")
            return
        call_command("migrate", database="keys", interactive=False, verbosity=0)
        self.stdout.write("The key database is up to date.")
