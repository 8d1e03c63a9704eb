"""The demo firms with a season of work behind them, so that no page of the console is empty."""

import datetime
import io

from django.core.management import call_command
from django.test import RequestFactory
from django.utils import timezone

from ccus.accounts.models import Company, Worker
from ccus.accounts.reveal import REVEAL_ACTION
from ccus.accounts.services import worker_mark_left
from ccus.api.tokens import api_token_issue
from ccus.calendar.services import calendar_feed_issue
from ccus.handoff.services import handoff_create
from ccus.recovery.services import handover_record, recovery_complete, recovery_start
from ccus.reminders.planning import plan_reminders
from ccus.rosters.jobs import import_job_create, job_run
from vault.audit.services import audit_record
from vault.auth.models import User
from vault.firms.models import Membership

# One row to add, one that updates a saved worker (filled in below), one with a bad ID; a
# column the import does not know.
ROSTER = (
    "氏名,フリガナ,技能者ID,血液型\r\n新人 一郎,シンジン イチロウ,11112222333344,A\r\n"
    "{update},B\r\n誤り 太郎,アヤマリ タロウ,1234,O\r\n"
)
DONE_ROSTER = "氏名,フリガナ\r\n前回 花子,ゼンカイ ハナコ\r\n"


def busy_demo() -> tuple[User, User]:
    """Seed the demo firms, add recoveries, reveals, an import, a leaver...; return both owners."""
    call_command("seed_demo", stdout=io.StringIO())
    owner = User.objects.get(email="owner@demo.example.jp")
    prime_owner = User.objects.get(email="prime@demo.example.jp")
    membership = Membership.objects.get(user=owner)
    organization = membership.organization
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.10", HTTP_USER_AGENT="Chromium")
    request.user = owner
    workers = list(Worker.objects.filter(organization=organization).order_by("name_kana"))
    company = Company.objects.filter(organization=organization).first()

    for field in ("password", "security_code", "birth_date", "registered_email"):
        audit_record(action=REVEAL_ACTION, actor=owner, organization=organization,
                     target=workers[0], field=field, request=request)  # fmt: skip
    audit_record(action=REVEAL_ACTION, actor=owner, organization=organization, target=company,
                 field="security_code_hint", request=request)  # fmt: skip

    open_case = recovery_start(account=workers[1], missing={"password"}, have={"inbox"},
                               actor=owner, request=request)  # fmt: skip
    assert open_case.path == "password_reset"
    closed = recovery_start(account=company, missing={"id"}, have=set(), actor=owner,
                            request=request)  # fmt: skip
    recovery_complete(case=closed, new_values={}, actor=owner, request=request)

    leaver = workers[2]
    worker_mark_left(worker=leaver, left_on=timezone.localdate(), actor=owner, request=request)
    handover_record(worker=leaver, step="email_moved", done_on=timezone.localdate(),
                    note="", actor=owner, request=request)  # fmt: skip

    handoff_create(worker=workers[3], fields=["password", "ccus_id"], pin_length=6, actor=owner,
                   request=request)  # fmt: skip
    calendar_feed_issue(membership=membership, language="ja", request=request)
    api_token_issue(organization=organization, name="勤怠システム", actor=owner, request=request)
    plan_reminders(timezone.now() + datetime.timedelta(days=1))

    done = import_job_create(organization=organization, actor=owner, filename="前回の名簿.csv",
                             data=DONE_ROSTER.encode(), kind="worker")  # fmt: skip
    assert job_run(done.id) is not None
    saved = next(w for w in workers[4:] if w.ccus_id)
    update = f"{saved.name},{saved.name_kana},{saved.ccus_id}"
    import_job_create(organization=organization, actor=owner, filename="名簿.csv",
                      data=ROSTER.format(update=update).encode(), kind="worker")  # fmt: skip
    return owner, prime_owner
