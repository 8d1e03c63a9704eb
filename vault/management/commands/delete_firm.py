"""`manage.py delete_firm UUID`: delete a firm and destroy its data keys (crypto-shredding)."""

import uuid

from django.core.management.base import BaseCommand, CommandError

from vault.firms.models import Organization
from vault.firms.services import organization_delete


class Command(BaseCommand):
    help = (
        "Delete a firm with everything it holds and destroy its data keys, so its values "
        "cannot be read from any earlier dump or backup either. This cannot be undone."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("firm", type=uuid.UUID, help="UUID of the firm to delete.")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, firm: uuid.UUID, yes: bool, **options) -> None:
        organization = Organization.objects.filter(uuid=firm).first()
        if organization is None:
            raise CommandError(f"No firm has the UUID {firm}.")
        if not yes and input(f"Delete {organization.name} for good? [y/N] ").lower() != "y":
            raise CommandError("Nothing deleted.")
        destroyed = organization_delete(organization=organization)
        self.stdout.write(f"Deleted {firm}; data keys destroyed: {destroyed}.")
