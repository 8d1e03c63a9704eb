"""`manage.py send_due_reminders [--dry-run]`: one planning run by hand, without beat."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from ccus.mail.models import DeliveryStatus
from ccus.reminders.models import ReminderDelivery
from ccus.reminders.planning import due_counts, plan_reminders
from ccus.reminders.tasks import enqueue_digests
from vault.auth.models import User


class Command(BaseCommand):
    help = "Plan the reminders due now and queue one digest per recipient (or show them)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would be sent; write nothing."
        )

    def handle(self, *args, dry_run: bool, **options) -> None:
        if dry_run:
            result = plan_reminders(dry_run=True)
            kinds = due_counts(timezone.now())
            self.stdout.write(
                f"Would plan {result.planned} new reminders "
                f"for {len(result.recipients)} recipients."
            )
            for kind, count in sorted(kinds.items()):
                self.stdout.write(f"  {kind}: {count} accounts due")
            emails = dict(User.objects.filter(pk__in=result.recipients).values_list("pk", "email"))
            for recipient in result.recipients:
                self.stdout.write(f"  digest to {emails[recipient]}")
            return
        with transaction.atomic():
            result = plan_reminders()
            enqueue_digests(result.recipients)
        pending = ReminderDelivery.objects.filter(status=DeliveryStatus.PENDING).count()
        self.stdout.write(
            f"Planned {result.planned} new reminders; {pending} pending for "
            f"{len(result.recipients)} recipients, queued one digest each."
        )
