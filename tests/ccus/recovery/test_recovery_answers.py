"""The recovery assistant's answers are true: choice d, initial passwords, saving what was found."""

import datetime

import pytest

from ccus.accounts.models import Company, Worker
from ccus.recovery.models import RecoveryCase
from tests.factories import make_company, make_worker

QUESTION_1 = "新規登録は完了していますか"


def _start(client, account, missing, have=()):
    kind = "workers" if isinstance(account, Worker) else "companies"
    client.post(f"/{kind}/{account.uuid}/recovery/", {"missing": missing, "have": list(have)})
    return RecoveryCase.objects.latest("started_at")


def _answers(client, case) -> dict:
    page = client.get(f"/recovery/{case.uuid}/")
    return {key: answer for key, _question, answer in page.context["answers"]}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "have", "answer"),
    [
        ({"card_expires_on": datetime.date(2031, 3, 31)}, (), "有効期限が保管庫にあります"),
        ({}, ("card",), "CCUSカードが発行されている"),
        ({}, ("completion_email",), "登録完了の通知が手元にあります"),
    ],
)
def test_it_answers_question_1_from_the_vault(owner_client, organization, fields, have, answer):
    worker = make_worker(organization, **fields)
    case = _start(owner_client, worker, ["id", "password"], [])
    case.have = list(have)
    case.save()
    assert answer in _answers(owner_client, case)["registration_complete"]


@pytest.mark.django_db
def test_it_asks_the_person_when_the_vault_cannot_tell(owner_client, organization):
    case = _start(owner_client, make_worker(organization), ["id"])
    assert case.path == "inquiry_id"
    page = owner_client.get(f"/recovery/{case.uuid}/")
    assert page.context["answers"][0][2] is None
    body = page.content.decode()
    assert "保管庫の記録からはわかりません" in body and 'name="registration_complete"' in body
    owner_client.post(f"/recovery/{case.uuid}/answer/", {"registration_complete": "no"})
    assert "申請用ログインID" in _answers(owner_client, case)["registration_complete"]
    owner_client.post(f"/recovery/{case.uuid}/answer/", {"registration_complete": "yes"})
    assert _answers(owner_client, case)["registration_complete"] == "はい（ご回答のとおり）"
    assert owner_client.get(f"/recovery/{case.uuid}/answer/").status_code == 405


@pytest.mark.django_db
def test_it_answers_question_4_about_the_registration_managers_email(owner_client, organization):
    company = make_company(
        organization,
        name="協力建設",
        responsible_person="山田 花子",
        registered_email="hanako@kyoryoku.example.jp",
    )
    worker = make_worker(organization, company=company)
    for account in (company, worker):
        answer = _answers(owner_client, _start(owner_client, account, ["id"]))["email_changed"]
        assert "登録責任者 山田 花子" in answer and "h•••@kyoryoku.example.jp" in answer
        assert "hanako@" not in answer
    lone = make_worker(organization, registered_email="own@example.jp")
    answer = _answers(owner_client, _start(owner_client, lone, ["id"]))["email_changed"]
    assert "登録責任者のメールアドレスがありません" in answer


@pytest.mark.django_db
@pytest.mark.parametrize("model", [Worker, Company])
def test_it_offers_the_initial_password_when_the_password_is_lost(
    owner_client, organization, model
):
    account = model.objects.get(
        pk=(make_worker if model is Worker else make_company)(
            organization, ccus_id="12345678901234", registered_email="a@example.jp",
            initial_password="Initial-on-notice-9",
        ).pk
    )  # fmt: skip
    for have in (["inbox"], []):
        case = _start(owner_client, account, ["password"], have)
        body = owner_client.get(f"/recovery/{case.uuid}/").content.decode()
        assert "初期パスワードのままです" in body and "Initial-on-notice-9" not in body
        shown = owner_client.post(f"/recovery/{case.uuid}/show/").content.decode()
        assert "Initial-on-notice-9" in shown


@pytest.mark.django_db
@pytest.mark.parametrize(("missing", "have"), [("id", "card"), ("id", "")])
def test_it_ends_the_id_path_by_saving_the_id_found(
    owner_client, owner, organization, missing, have
):
    worker = make_worker(organization)
    Worker.objects.update(last_confirmed_at=None)
    case = _start(owner_client, worker, [missing], [have] if have else [])
    assert "ccus_id" in owner_client.get(f"/recovery/{case.uuid}/").context["done_form"].fields
    refused = owner_client.post(f"/recovery/{case.uuid}/done/", {"ccus_id": "1234"})
    assert "4桁です" in refused.content.decode()
    owner_client.post(
        f"/recovery/{case.uuid}/done/", {"ccus_id": "１２３４ ５６７８ ９０１２ ３４"}
    )
    fresh = Worker.objects.get(pk=worker.pk)
    assert (fresh.ccus_id, fresh.last_confirmed_by) == ("12345678901234", owner)
    case.refresh_from_db()
    assert case.completed_at is not None


@pytest.mark.django_db
def test_it_keeps_what_was_typed_for_choice_c_across_the_reveal(owner_client, organization):
    worker = make_worker(organization, ccus_id="12345678901234", address="大阪府大阪市1-1")
    case = _start(owner_client, worker, ["email"])
    page = owner_client.get(f"/recovery/{case.uuid}/").content.decode()
    assert 'form="reveal-form"' in page and 'id="reveal-form"' in page
    typed = {
        "new_email": "new.own@example.jp",
        "reason": "退職した事務員のアドレスだった",
        "can_log_in": "できない",
        "contact_person": "代理 次郎",
    }
    shown = owner_client.post(f"/recovery/{case.uuid}/show/", typed)
    values = {item.typed: item.value for item in shown.context["items"] if item.typed}
    assert {name: values[name] for name in typed} == typed
    body = shown.content.decode()
    assert 'value="new.own@example.jp"' in body and "12345678901234" in body
