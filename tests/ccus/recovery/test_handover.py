"""The handover of a leaving worker: one list of steps, notes kept, a warning before leaving."""

import re

import pytest

from ccus.accounts.models import Worker
from ccus.recovery.handover import HANDOVER_STEPS
from ccus.recovery.models import HandoverStep
from tests.factories import make_worker
from vault.audit.models import AuditEvent

STEP = re.compile(r'data-step="(\w+)".*?<span class="step-text">(.*?)</span>', re.S)


def _steps(page: str) -> list[tuple[str, str]]:
    return STEP.findall(page)


def test_it_defines_a_text_for_every_step_that_can_be_recorded():
    assert list(HANDOVER_STEPS) == list(HandoverStep.Step)


@pytest.mark.django_db
def test_the_leave_page_and_the_checklist_list_the_same_steps(owner_client, organization):
    worker = make_worker(organization)
    leave = owner_client.get(f"/workers/{worker.uuid}/left/").content.decode()
    checklist = owner_client.get(f"/workers/{worker.uuid}/handover/").content.decode()
    assert len(_steps(leave)) == len(HandoverStep.Step) == 4
    assert _steps(leave) == _steps(checklist)
    assert "所属事業者" in _steps(checklist)[2][1]
    worker.status = "left"
    worker.save()
    detail = owner_client.get(f"/workers/{worker.uuid}/").content.decode()
    assert f'href="/workers/{worker.uuid}/handover/"' in detail.split('id="handover"')[1]


@pytest.mark.django_db
def test_it_shows_the_note_typed_with_a_step_and_keeps_it_when_redated(owner_client, organization):
    worker = make_worker(organization)
    url = f"/workers/{worker.uuid}/handover/"
    owner_client.post(url, {"step": "credentials_returned", "done_on": "2026-10-02",
                            "note": "カードは本人に手渡し"})  # fmt: skip
    page = owner_client.get(url).content.decode()
    assert "カードは本人に手渡し" in page
    assert 'value="カードは本人に手渡し"' in page
    form = {"step": "credentials_returned", "done_on": "2026-10-04", "note": "カードは本人に手渡し"}
    owner_client.post(url, form)
    assert HandoverStep.objects.get(worker=worker).note == "カードは本人に手渡し"


@pytest.mark.django_db
def test_it_warns_and_lists_undone_steps_before_marking_a_worker_left(owner_client, organization):
    worker = make_worker(organization)
    owner_client.post(f"/workers/{worker.uuid}/handover/",
                      {"step": "email_moved", "done_on": "2026-10-01"})  # fmt: skip
    response = owner_client.post(f"/workers/{worker.uuid}/left/", {"left_on": "2026-10-31"})
    page = response.content.decode()
    assert response.status_code == 200
    assert Worker.objects.get(pk=worker.pk).status == "active"
    warning = page.split('id="undone"')[1].split("</div>")[0]
    for key, text in HANDOVER_STEPS.items():
        assert (str(text) in warning) == (key != "email_moved")
    assert "3件の引き継ぎがまだ済んでいません" in warning
    assert 'value="2026-10-31"' in page
    assert not AuditEvent.objects.filter(action="worker.left").exists()

    owner_client.post(f"/workers/{worker.uuid}/left/", {"left_on": "2026-10-31", "anyway": "1"})
    fresh = Worker.objects.get(pk=worker.pk)
    assert (fresh.status, str(fresh.left_on)) == ("left", "2026-10-31")


@pytest.mark.django_db
def test_it_marks_a_worker_left_at_once_when_every_step_is_done(owner_client, organization):
    worker = make_worker(organization)
    for step in HandoverStep.Step:
        owner_client.post(f"/workers/{worker.uuid}/handover/",
                          {"step": step, "done_on": "2026-10-01"})  # fmt: skip
    response = owner_client.post(f"/workers/{worker.uuid}/left/", {"left_on": "2026-10-31"})
    assert response.status_code == 302
    assert Worker.objects.get(pk=worker.pk).status == "left"
