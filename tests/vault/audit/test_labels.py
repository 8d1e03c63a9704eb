"""The audit log stores codes and shows labels: actions and fields read as words."""

import ast
from pathlib import Path

import pytest
from django.test import RequestFactory
from django.utils import translation

from ccus.oversight.engagements import engagement_answer, engagement_invite
from ccus.oversight.models import Engagement
from tests.factories import make_member, make_organization, make_secret_worker
from vault.audit.labels import action_label, field_label, known_actions
from vault.audit.models import AuditEvent
from vault.audit.services import audit_record

ROOT = Path(__file__).resolve().parents[3]


def _strings(node: ast.AST) -> set[str]:
    return {part.value for part in ast.walk(node)
            if isinstance(part, ast.Constant) and isinstance(part.value, str)}  # fmt: skip


def _action_values(node: ast.AST) -> set[str]:
    """Return the strings this node gives as an action: audit calls and *_ACTION constants."""
    if isinstance(node, ast.Call) and "audit" in getattr(node.func, "id", ""):
        given = [k.value for k in node.keywords if k.arg == "action"]
        if getattr(node.func, "id", "") != "audit_record" and node.args:
            given.append(node.args[0])  # a module's own helper, e.g. _audit("company.fee_save", …)
        return set().union(*map(_strings, given))
    if isinstance(node, ast.Assign) and any(
        getattr(target, "id", "").endswith("_ACTION") for target in node.targets
    ):
        return _strings(node.value)
    return set()


def _recorded_actions() -> set[str]:
    """Return the action codes the code records, f-string pieces included."""
    found = set()
    for package in ("ccus", "vault"):
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                found |= _action_values(node)
    return found


def test_it_has_a_label_for_every_action_the_code_records():
    from ccus.recovery.models import HandoverStep

    recorded = _recorded_actions()
    # Pieces of f-strings: f"{model_name}.confirm", f"handover.{step}"; expanded below.
    literal = {code for code in recorded if not code.startswith(".") and not code.endswith(".")}
    assert {".confirm", "handover."} <= recorded
    built = {f"{kind}.{verb}" for kind in ("worker", "company")
             for verb in ("create", "update", "confirm")}  # fmt: skip
    built |= {f"handover.{step}" for step in HandoverStep.Step.values}
    missing = sorted((literal | built | {"secret.reveal"}) - known_actions())
    assert missing == []


def test_it_shows_an_unknown_code_as_an_other_action_not_as_the_code():
    with translation.override("ja"):
        assert action_label("something.new_thing") == "その他の操作"
        assert action_label("secret.reveal") == "秘密の値を表示"
    with translation.override("en"):
        assert action_label("secret.reveal") == "Secret value shown"


def test_it_names_a_field_by_its_model_verbose_name():
    with translation.override("ja"):
        assert field_label("worker", "birth_date") == "生年月日"
        assert field_label("worker", "no_such_field") == "その他の項目"
    with translation.override("en"):
        assert field_label("company", "security_code_hint") == "Security code hint"
    assert field_label("worker", "") == ""


@pytest.mark.django_db
def test_it_shows_labels_and_filters_by_a_choice_of_actions(owner_client, owner, organization):
    worker = make_secret_worker(organization)
    request = RequestFactory().get("/")
    audit_record(action="secret.reveal", actor=owner, organization=organization, target=worker,
                 field="birth_date", request=request)  # fmt: skip
    page = owner_client.get("/firm/audit/").content.decode()
    assert "秘密の値を表示" in page and "生年月日" in page
    assert "secret.reveal" not in page.replace('value="secret.reveal"', "")
    assert "birth_date" not in page
    assert '<option value="secret.reveal">秘密の値を表示</option>' in page
    assert '<option value="worker.create">技能者を追加</option>' in page
    filtered = owner_client.get("/firm/audit/?action=secret.reveal").content.decode()
    assert filtered.count("秘密の値を表示") == 2  # the chosen option and the one event
    assert "技能者を追加</td>" not in filtered


@pytest.mark.django_db
def test_it_writes_labels_into_the_csv(owner_client, owner, organization):
    worker = make_secret_worker(organization)
    audit_record(action="secret.reveal", actor=owner, organization=organization, target=worker,
                 field="birth_date")  # fmt: skip
    csv = owner_client.get("/firm/audit/?format=csv").content.decode("utf-8-sig")
    assert "秘密の値を表示" in csv and "生年月日" in csv
    assert "secret.reveal" not in csv and "birth_date" not in csv


@pytest.mark.django_db
def test_it_keeps_no_translated_status_in_the_name_of_an_engagement_event(organization, owner):
    prime = make_organization("元請建設")
    prime_owner = make_member(prime, "owner")
    with translation.override("ja"):
        engagement = engagement_invite(prime=prime, subcontractor=organization,
                                       actor=prime_owner, request=None)  # fmt: skip
        engagement_answer(engagement=engagement, accept=True, sharing=Engagement.Sharing.STATUS,
                          pass_up=False, actor=owner, request=None)  # fmt: skip
    labels = set(AuditEvent.objects.filter(target_type="engagement").values_list(
        "target_label", flat=True))  # fmt: skip
    assert labels == {f"元請建設 → {organization.name}"}


@pytest.mark.django_db
def test_it_drops_the_status_word_kept_in_older_engagement_events(organization):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("ccus.migrations.0018_words_engagement_audit_names")
    old = audit_record(action="engagement.accept", organization=organization)
    AuditEvent.objects.filter(pk=old.pk).update(
        target_type="engagement", target_label="元請建設 (株) → 協力建設 (在籍)"
    )
    worker = audit_record(action="worker.create", organization=organization)
    AuditEvent.objects.filter(pk=worker.pk).update(
        target_type="worker", target_label="山田 (一人親方)"
    )
    migration.drop_status_from_engagement_names(apps, None)
    assert AuditEvent.objects.get(pk=old.pk).target_label == "元請建設 (株) → 協力建設"
    assert AuditEvent.objects.get(pk=worker.pk).target_label == "山田 (一人親方)"
