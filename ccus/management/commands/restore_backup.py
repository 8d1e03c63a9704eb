"""`manage.py restore_backup`: restore a firm from its backup zip, into an empty database too."""

import getpass
import os
import time
from collections import Counter
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from tqdm import tqdm

from ccus.rosters.backup import read_backup
from ccus.rosters.restore import backup_restore
from ccus.rosters.restore_plan import restore_plan
from vault.auth.models import User
from vault.firms.models import Membership, Organization, Role

PASSPHRASE_VARIABLE = "CCUS_BACKUP_PASSPHRASE"  # noqa: S105 (a name, not a secret)


class Command(BaseCommand):
    help = (
        "Restore a firm's business and worker accounts from a backup zip downloaded by an "
        "owner. The firm is created when the database does not have it (disaster recovery). "
        f"The passphrase is read from --passphrase-file, from {PASSPHRASE_VARIABLE}, or asked."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("backup", type=Path, help="The backup zip.")
        parser.add_argument("--passphrase-file", type=Path, help="A file holding the passphrase.")
        parser.add_argument("--owner", help="Email of a person to make owner of the firm.")
        parser.add_argument("--yes", action="store_true", help="Do not ask before restoring.")

    def _passphrase(self, path: Path | None) -> str:
        if path is not None:
            return path.read_text(encoding="utf-8").rstrip("\r\n")
        if os.environ.get(PASSPHRASE_VARIABLE):
            return os.environ[PASSPHRASE_VARIABLE]
        return getpass.getpass(_("Passphrase of the backup: "))

    def _plan(self, organization: Organization, backup) -> None:
        plans = restore_plan(organization, backup)
        counts = Counter(plan.action for plan in plans)
        self.stdout.write(
            _("New: %(new)s, changed: %(changed)s, same: %(same)s, cannot be restored: %(error)s")
            % {key: counts[key] for key in ("new", "changed", "same", "error")}
        )
        for plan in plans:
            if plan.errors:
                self.stderr.write(f"  {plan.name}: {' / '.join(plan.errors)}")
        if counts["error"]:
            raise CommandError(_("Nothing was changed: correct the records above first."))

    def handle(self, *args, backup: Path, passphrase_file, owner, yes, **options) -> None:
        started = time.monotonic()
        try:
            opened = read_backup(backup.read_bytes(), self._passphrase(passphrase_file))
        except (OSError, ValidationError) as error:
            messages = error.messages if isinstance(error, ValidationError) else [str(error)]
            raise CommandError(" ".join(messages)) from error
        firm = opened.organization
        self.stdout.write(
            _("Backup of “%(name)s” made at %(when)s")
            % {"name": firm["name"], "when": opened.created_at}
        )
        with transaction.atomic():
            organization, created = Organization.objects.get_or_create(
                uuid=firm["uuid"], defaults={"name": firm["name"]}
            )
            if created:
                self.stdout.write(_("The firm is not in this database: it is created."))
            self._plan(organization, opened)
            if not yes and input(_("Restore now? [y/N] ")).strip().lower() not in ("y", "yes"):
                transaction.set_rollback(True)
                self.stdout.write(_("Nothing was changed."))
                return
            with tqdm(total=1, unit=_("accounts"), file=self.stdout) as bar:

                def progress(done: int, total: int) -> None:
                    bar.total = total
                    bar.update(done - bar.n)

                counts = backup_restore(organization=organization, backup=opened, progress=progress)
            if owner:
                self._owner(organization, owner)
        self.stdout.write(
            self.style.SUCCESS(
                _("Restored in %(seconds).1f s: %(created)s added, %(updated)s updated, "
                  "%(unchanged)s already the same.")
                % {"seconds": time.monotonic() - started, **counts}
            )
        )  # fmt: skip

    def _owner(self, organization: Organization, email: str) -> None:
        """Make email an owner of the firm; a new person gets an email to set a password."""
        from vault.firms.tasks import send_invitation

        user = User.objects.filter(email=email.strip().lower()).first()
        if user is None:
            user = User.objects.create_user(email.strip().lower(), None)
        membership, _created = Membership.objects.update_or_create(
            user=user, organization=organization, defaults={"role": Role.OWNER}
        )
        transaction.on_commit(lambda: send_invitation.delay(membership.id))
        self.stdout.write(_("%(email)s is an owner of the firm.") % {"email": user.email})
