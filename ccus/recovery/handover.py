"""The handover checklist of a leaving worker: one list of steps for every page that shows it."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from ccus.accounts.models import Worker
from ccus.recovery.models import HandoverStep

Step = HandoverStep.Step

# Before a worker leaves (退職・移籍): what to do, in the order it is usually done.
HANDOVER_STEPS = {
    Step.EMAIL_MOVED: _(
        "Change the registered email in CCUS to the worker's own address, so the worker can "
        "reset the password."
    ),
    Step.CREDENTIALS_RETURNED: _(
        "Give back the CCUS card and the login details (worker ID, password, security code)."
    ),
    Step.AFFILIATION_REMOVED: _(
        "Ask the worker or CCUS to remove the link to this firm (所属事業者) and update the "
        "social insurance details."
    ),
    Step.CONSENT_WITHDRAWN: _(
        "Record the date the worker's consent for the firm to hold the credentials ended."
    ),
}


@dataclass
class ChecklistItem:
    """One step of the handover, and its record once it is done."""

    key: str
    text: str
    done: HandoverStep | None


def handover_checklist(worker: Worker, *, with_notes: bool = False) -> list[ChecklistItem]:
    """Return every handover step of the worker in order, with what was recorded of it."""
    records = worker.handover_steps.select_related("recorded_by")
    if not with_notes:
        records = records.defer("note")
    done = {record.step: record for record in records}
    return [ChecklistItem(str(key), text, done.get(key)) for key, text in HANDOVER_STEPS.items()]
