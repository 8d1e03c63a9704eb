"""The recovery assistant: every branch for a business and a worker, items in CCUS's order."""

import datetime

import pytest
from django.utils import translation

from ccus.accounts.models import Company, Worker
from ccus.recovery import guide
from ccus.recovery.models import HandoverStep, RecoveryCase
from ccus.recovery.paths import choose_path
from tests.console import sign_in
from tests.factories import SECRETS, leaked, make_company, make_secret_worker, make_worker
from vault.audit.models import AuditEvent

COMPANY_SECRETS = {k: v for k, v in SECRETS.items() if k not in ("initial_password", "ccus_id")}
# Both lists end with the same items: the new address, the reason, login, and the contact person.
TYPED_ITEMS = [
    "変更希望メールアドレス",
    "使用できない理由",
    "ログイン可能か",
    "会社名",
    "ご担当者名",
    "その他質問",
]
WORKER_ITEMS = [
    "技能者氏名",
    "技能者ID",
    "登録住所",
    "登録電話番号",
    "生年月日（西暦）",
    "登録済メールアドレス",
    *TYPED_ITEMS,
]
COMPANY_ITEMS = ["事業者名", "事業者ID", "所在地", "電話番号", "登録済メールアドレス", *TYPED_ITEMS]


@pytest.mark.parametrize(
    ("kind", "missing", "have", "id_on_record", "path"),
    [
        ("worker", {"id"}, set(), True, "id_in_vault"),
        ("worker", {"id"}, {"card"}, False, "id_where_printed"),
        ("worker", {"id"}, {"completion_email"}, False, "id_where_printed"),
        ("worker", {"id"}, {"postcard"}, False, "inquiry_id"),
        ("worker", {"id", "password"}, set(), False, "inquiry_id"),
        ("company", {"id"}, {"postcard"}, False, "id_where_printed"),
        ("company", {"id"}, {"card"}, False, "inquiry_id"),
        ("company", {"id"}, set(), True, "id_in_vault"),
        ("worker", {"email"}, {"inbox"}, True, "inquiry_email"),
        ("company", {"email", "password"}, set(), True, "inquiry_email"),
        ("worker", {"password"}, {"inbox"}, True, "password_reset"),
        ("company", {"password"}, {"inbox", "postcard"}, True, "password_reset"),
        ("worker", {"password"}, set(), True, "inquiry_email"),
        ("company", {"password"}, {"postcard"}, True, "inquiry_email"),
        ("worker", {"security_code"}, {"card"}, True, "security_code"),
        ("company", {"security_code"}, set(), True, "security_code"),
    ],
)
def test_it_chooses_the_one_right_path(kind, missing, have, id_on_record, path):
    assert choose_path(kind, missing, have, id_on_record=id_on_record) == path


def _start(client, account, missing, have=()):
    kind = "workers" if isinstance(account, Worker) else "companies"
    response = client.post(
        f"/{kind}/{account.uuid}/recovery/", {"missing": list(missing), "have": list(have)}
    )
    case = RecoveryCase.objects.latest("started_at")
    assert response["Location"] == f"/recovery/{case.uuid}/"
    return case


def _assert_no_secret(body: str, secrets: dict) -> None:
    assert leaked(body, {k: v for k, v in secrets.items() if k != "ccus_id"}) == []
    assert SECRETS["ccus_id"] not in body


@pytest.fixture
def owner_client(client, owner):
    owner.full_name = "事務 花子"
    owner.save()
    sign_in(client, owner)
    return client


@pytest.mark.django_db
def test_it_fills_the_twelve_worker_items_in_ccus_order(owner_client, organization):
    worker = make_secret_worker(organization)
    case = _start(owner_client, worker, ["email"], ["inbox"])
    page = owner_client.get(f"/recovery/{case.uuid}/")
    items = page.context["items"]
    assert len(WORKER_ITEMS) == 12 and [item.label for item in items] == WORKER_ITEMS
    assert items[0].value == "秘密 太郎"
    assert [i.value for i in items if i.secret] == ["", "", "", "", ""]
    assert (items[9].value, items[10].value) == (organization.name, "事務 花子")
    _assert_no_secret(page.content.decode(), SECRETS)

    shown = owner_client.post(f"/recovery/{case.uuid}/show/")
    assert "no-store" in shown["Cache-Control"]
    values = {item.label: item.value for item in shown.context["items"]}
    assert values["技能者ID"] == SECRETS["ccus_id"]
    assert values["登録住所"] == SECRETS["address"]
    assert values["登録電話番号"] == SECRETS["phone"]
    assert values["生年月日（西暦）"] == "1981-02-03"
    assert values["登録済メールアドレス"] == SECRETS["registered_email"]
    assert SECRETS["password"] not in shown.content.decode()
    revealed = set(
        AuditEvent.objects.filter(action="secret.reveal").values_list("field", flat=True)
    )
    assert revealed == {"ccus_id", "address", "phone", "birth_date", "registered_email"}


@pytest.mark.django_db
def test_it_fills_the_eleven_business_items_in_ccus_order(owner_client, organization):
    company = make_company(
        organization, name="協力建設", ccus_id="55556666777788", **COMPANY_SECRETS
    )
    case = _start(owner_client, company, ["email"])
    page = owner_client.get(f"/recovery/{case.uuid}/")
    assert len(COMPANY_ITEMS) == 11
    assert [item.label for item in page.context["items"]] == COMPANY_ITEMS
    _assert_no_secret(page.content.decode(), COMPANY_SECRETS)
    assert "55556666777788" not in page.content.decode()
    values = {
        i.label: i.value for i in owner_client.post(f"/recovery/{case.uuid}/show/").context["items"]
    }
    assert (values["事業者ID"], values["所在地"]) == ("55556666777788", SECRETS["address"])


@pytest.mark.django_db
def test_it_answers_the_five_questions_of_choice_d_from_the_vault(owner_client, organization):
    worker = make_worker(organization, security_code="４８２１", registered_email="w@example.jp")
    case = _start(owner_client, worker, ["id"], ["completion_email"])
    assert case.path == "id_where_printed"
    case = _start(owner_client, worker, ["id"])
    page = owner_client.get(f"/recovery/{case.uuid}/")
    answers = page.context["answers"]
    assert [(key, question) for key, question, _ in answers] == guide.ID_INQUIRY_QUESTIONS
    assert answers[1][2] == "技能者ID"
    assert answers[4][2] == str(guide.ANSWERS["security_code_on_record"])
    assert "４８２１" not in page.content.decode()


@pytest.mark.django_db
def test_it_shows_where_a_worker_id_is_printed(owner_client, organization):
    case = _start(owner_client, make_worker(organization), ["id"], ["card"])
    body = owner_client.get(f"/recovery/{case.uuid}/").content.decode()
    assert "左から14桁" in body
    case = _start(owner_client, make_worker(organization), ["email"], ["card"])
    assert "左から14桁" not in owner_client.get(f"/recovery/{case.uuid}/").content.decode()


@pytest.mark.django_db
def test_it_gives_the_id_and_email_for_a_password_reset_after_a_reveal(owner_client, organization):
    worker = make_secret_worker(organization)
    case = _start(owner_client, worker, ["password"], ["inbox"])
    page = owner_client.get(f"/recovery/{case.uuid}/")
    assert "パスワードを忘れた場合" in page.content.decode()
    _assert_no_secret(page.content.decode(), SECRETS)
    body = owner_client.post(f"/recovery/{case.uuid}/show/").content.decode()
    assert SECRETS["ccus_id"] in body and SECRETS["registered_email"] in body
    assert SECRETS["password"] not in body


@pytest.mark.django_db
def test_it_explains_the_security_code_and_shows_it_only_on_purpose(owner_client, organization):
    worker = make_secret_worker(organization)
    case = _start(owner_client, worker, ["security_code"])
    page = owner_client.get(f"/recovery/{case.uuid}/").content.decode()
    assert "本人確認番号" in page and SECRETS["security_code"] not in page
    assert (
        SECRETS["security_code"]
        in owner_client.post(f"/recovery/{case.uuid}/show/").content.decode()
    )


@pytest.mark.django_db
def test_it_asks_to_confirm_identity_before_showing(client, owner, organization):
    worker = make_secret_worker(organization)
    sign_in(client, owner, reauthenticated=False)
    case = _start(client, worker, ["email"])
    response = client.post(f"/recovery/{case.uuid}/show/")
    assert response["Location"].startswith("/account/confirm/")
    assert not AuditEvent.objects.filter(action="secret.reveal").exists()


@pytest.mark.django_db
def test_it_saves_the_new_values_confirms_and_records_the_time(owner_client, owner, organization):
    worker = make_secret_worker(organization)
    case = _start(owner_client, worker, ["password"], ["inbox"])
    RecoveryCase.objects.filter(pk=case.pk).update(
        started_at=case.started_at - datetime.timedelta(minutes=25)
    )
    response = owner_client.post(
        f"/recovery/{case.uuid}/done/",
        {"password": "brand-new-pw", "registered_email": "own@example.jp"},
    )
    assert response["Location"] == f"/workers/{worker.uuid}/"
    fresh = Worker.objects.get(pk=worker.pk)
    assert (fresh.password, fresh.registered_email) == ("brand-new-pw", "own@example.jp")
    assert fresh.last_confirmed_by == owner
    case.refresh_from_db()
    assert case.completed_by == owner
    assert AuditEvent.objects.get(action="recovery.complete").details["minutes"] == 25
    log = owner_client.get("/recovery/")
    summary = log.context["summary"]
    assert (summary["count"], summary["solved"], summary["median_minutes"]) == (1, 1, 25)
    # The path reads as its title, never as its code.
    page = log.content.decode()
    assert str(case.path_label) in page and case.path not in page


@pytest.mark.django_db
def test_it_keeps_a_bad_new_email_typed_and_saves_nothing(owner_client, organization):
    worker = make_secret_worker(organization)
    case = _start(owner_client, worker, ["email"])
    response = owner_client.post(
        f"/recovery/{case.uuid}/done/", {"password": "x-new", "registered_email": "not-an-email"}
    )
    assert response.status_code == 200
    assert 'value="not-an-email"' in response.content.decode()
    assert Worker.objects.get(pk=worker.pk).password == SECRETS["password"]
    case.refresh_from_db()
    assert case.completed_at is None


@pytest.mark.django_db
def test_it_prints_a_sheet_without_secrets_and_one_with_them_on_purpose(owner_client, organization):
    worker = make_secret_worker(organization)
    plain = owner_client.get(f"/workers/{worker.uuid}/sheet/")
    _assert_no_secret(plain.content.decode(), SECRETS)
    assert "登録済メールアドレス" in plain.content.decode()
    full = owner_client.post(f"/workers/{worker.uuid}/sheet/")
    body = full.content.decode()
    assert "no-store" in full["Cache-Control"]
    for name in ("ccus_id", "password", "initial_password", "security_code", "address"):
        assert SECRETS[name] in body
    assert "1981-02-03" in body
    fields = set(AuditEvent.objects.filter(action="recovery.sheet").values_list("field", flat=True))
    assert {"password", "ccus_id", "birth_date"} <= fields


@pytest.mark.django_db
def test_it_leaves_passwords_off_a_staff_members_sheet(client, staff, organization):
    worker = make_secret_worker(organization)
    sign_in(client, staff)
    body = client.post(f"/workers/{worker.uuid}/sheet/").content.decode()
    assert SECRETS["ccus_id"] in body and SECRETS["address"] in body
    assert SECRETS["password"] not in body and SECRETS["security_code"] not in body


@pytest.mark.django_db
def test_it_keeps_recovery_from_viewers_and_outsiders(client, viewer, outsider, organization):
    worker = make_secret_worker(organization)
    sign_in(client, viewer)
    assert client.get(f"/workers/{worker.uuid}/recovery/").status_code == 403
    assert client.post(f"/workers/{worker.uuid}/sheet/").status_code == 403
    case = RecoveryCase.objects.create(
        organization=organization, worker=worker, path="security_code"
    )
    assert client.get(f"/recovery/{case.uuid}/").status_code == 403
    client.logout()
    sign_in(client, outsider)
    assert client.get(f"/recovery/{case.uuid}/").status_code == 404
    assert client.get(f"/workers/{worker.uuid}/sheet/").status_code == 404


@pytest.mark.django_db
def test_it_keeps_a_dated_record_of_each_handover_step(owner_client, organization):
    worker = make_worker(organization)
    for step, day in [
        ("email_moved", "2026-10-01"),
        ("credentials_returned", "2026-10-02"),
        ("consent_withdrawn", "2026-10-03"),
    ]:
        owner_client.post(f"/workers/{worker.uuid}/handover/", {"step": step, "done_on": day})
    owner_client.post(
        f"/workers/{worker.uuid}/handover/", {"step": "email_moved", "done_on": "2026-10-05"}
    )
    steps = dict(HandoverStep.objects.filter(worker=worker).values_list("step", "done_on"))
    assert steps == {
        "email_moved": datetime.date(2026, 10, 5),
        "credentials_returned": datetime.date(2026, 10, 2),
        "consent_withdrawn": datetime.date(2026, 10, 3),
    }
    assert Worker.objects.get(pk=worker.pk).consent_withdrawn_on == datetime.date(2026, 10, 3)
    assert AuditEvent.objects.filter(action__startswith="handover.").count() == 4


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ja", "en"])
def test_it_renders_every_recovery_page_in_both_languages(client, owner, organization, language):
    worker = make_secret_worker(organization)
    company = make_company(organization, ccus_id="55556666777788")
    sign_in(client, owner)
    client.post("/language/", {"language": language, "next": "/"})
    urls = [
        f"/workers/{worker.uuid}/recovery/",
        f"/companies/{company.uuid}/recovery/",
        f"/workers/{worker.uuid}/sheet/",
        f"/workers/{worker.uuid}/handover/",
        "/recovery/",
    ]
    for account, missing, have in [
        (worker, "email", ""),
        (company, "id", ""),
        (worker, "password", "inbox"),
        (worker, "id", "card"),
        (company, "security_code", ""),
        (company, "id", "postcard"),
    ]:
        urls.append(f"/recovery/{_start(client, account, [missing], [have] if have else []).uuid}/")
    marker = {"ja": "CCUSにログインできない", "en": "Cannot log in to CCUS"}[language]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Language"] == language
    assert marker in client.get(f"/workers/{worker.uuid}/recovery/").content.decode()
    with translation.override(language):
        title = str(guide.PATHS["inquiry_email"]["title"])
    case = RecoveryCase.objects.filter(path="inquiry_email").first()
    assert title in client.get(f"/recovery/{case.uuid}/").content.decode()
    assert Company.objects.count() == 1
