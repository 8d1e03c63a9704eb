"""Typing and pasting as offices do: kana, names, codes, hints, emails, invisible characters."""

import datetime
import importlib

import pytest
from django.core import mail
from django.utils import timezone

from ccus.accounts.models import Company, Worker
from ccus.reminders.planning import plan_reminders
from ccus.reminders.tasks import enqueue_digests
from tests.console import sign_in
from tests.factories import make_worker

CODE_IN_HINT = "カード裏 0123"


def _add(client, kind: str = "workers", **typed):
    return client.post(f"/{kind}/new/", {"name": "入力 太郎", **typed})


@pytest.mark.django_db
def test_it_counts_a_record_just_typed_as_confirmed_by_its_author(staff_client, staff):
    _add(staff_client, ccus_id="12345678901234", registered_email="w@example.jp")
    worker = Worker.objects.get()
    assert worker.last_confirmed_by == staff
    assert timezone.now() - worker.last_confirmed_at < datetime.timedelta(minutes=1)
    assert dict(staff_client.get("/").context["sections"][1][2])["unconfirmed"] == 0
    body = staff_client.get(f"/workers/{worker.uuid}/").content.decode()
    assert "確認期限切れ" not in body


@pytest.mark.django_db
def test_it_offers_a_leading_zero_with_one_click_and_never_silently(staff_client):
    response = _add(staff_client, ccus_id="1234567890123", phone="03-1111-2222")
    body = response.content.decode()
    assert "先頭の0が消えた可能性があります" in body
    assert 'name="accept_id" value="01234567890123"' in body
    assert 'value="03-1111-2222"' in body and Worker.objects.count() == 0
    _add(staff_client, ccus_id="1234567890123", accept_id="01234567890123")
    assert Worker.objects.get().ccus_id == "01234567890123"


@pytest.mark.django_db
def test_it_says_excel_lost_the_digits_of_an_exponent_in_the_form(staff_client):
    body = _add(staff_client, ccus_id="1.23457E+13").content.decode()
    assert "Excelの中ですでに失われていて" in body and Worker.objects.count() == 0


@pytest.mark.django_db
def test_it_stores_readings_in_katakana_and_keeps_names_as_typed(staff_client):
    _add(staff_client, "companies", name="㈱佐々木工務店", name_kana="ｻｻｷｺｳﾑﾃﾝ")
    _add(staff_client, name="佐々木 健", name_kana="ささき　けん")
    assert Company.objects.get().name == "㈱佐々木工務店"
    assert Company.objects.get().name_kana == "ササキコウムテン"
    assert Worker.objects.get().name_kana == "ササキ ケン"


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["ささき", "ｻｻｷ", "佐々木　健", "佐々木健", "ササキケン", "1234"])
def test_it_finds_a_worker_however_the_name_reading_or_last_digits_are_typed(
    staff_client, organization, query
):
    make_worker(organization, name="佐々木 健", name_kana="ササキ ケン", ccus_id="99998888771234")
    make_worker(organization, name="山田 太郎", name_kana="ヤマダ タロウ", ccus_id="11112222333344")
    page = staff_client.get("/workers/", {"q": query}).context["page"]
    assert [w.name for w in page] == ["佐々木 健"]


@pytest.mark.django_db
def test_it_stores_a_security_code_as_ascii_digits(staff_client):
    _add(staff_client, security_code="０１２３")
    assert Worker.objects.get().security_code == "0123"


@pytest.mark.django_db
@pytest.mark.parametrize(("hint", "flagged"), [(CODE_IN_HINT, True), ("金庫の赤い封筒", False)])
def test_it_flags_a_hint_that_holds_the_code_anywhere(staff_client, hint, flagged):
    response = _add(staff_client, security_code="0123", security_code_hint=hint)
    assert Worker.objects.get().hint_is_code is flagged
    shown = [w.message for w in staff_client.get(response["Location"]).context["warnings"]]
    assert any("ヒントには4桁の数字" in m for m in shown) is flagged


@pytest.mark.django_db
def test_it_shows_a_hint_holding_the_code_only_to_those_who_may_see_the_code(
    client, staff, admin_member, organization
):
    held = make_worker(organization, security_code="0123", security_code_hint=CODE_IN_HINT)
    plain = make_worker(organization, security_code="0123", security_code_hint="金庫の赤い封筒")
    sign_in(client, staff)
    assert 'value="security_code_hint"' not in client.get(f"/workers/{held.uuid}/").content.decode()
    assert 'value="security_code_hint"' in client.get(f"/workers/{plain.uuid}/").content.decode()
    hint = {"field": "security_code_hint"}
    assert client.post(f"/workers/{held.uuid}/reveal/", hint).status_code == 403
    assert "金庫の赤い封筒" in client.post(f"/workers/{plain.uuid}/reveal/", hint).content.decode()
    sheet = client.post(f"/workers/{held.uuid}/sheet/").content.decode()
    assert CODE_IN_HINT not in sheet and "0123" not in sheet
    for url in ("/workers/export/", "/workers/export/?format=xlsx", "/firm/audit/?format=csv"):
        assert CODE_IN_HINT.encode() not in client.get(url).content
    client.logout()
    sign_in(client, admin_member)
    assert CODE_IN_HINT in client.post(f"/workers/{held.uuid}/reveal/", hint).content.decode()
    assert CODE_IN_HINT in client.post(f"/workers/{held.uuid}/sheet/").content.decode()


@pytest.mark.django_db
def test_it_never_mails_a_hint_that_holds_the_code(
    organization, owner, admin_member, django_capture_on_commit_callbacks
):
    make_worker(organization, name="ヒント 一郎", security_code_hint=CODE_IN_HINT)
    Worker.objects.update(last_confirmed_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_digests(plan_reminders().recipients)
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        text = message.body + message.alternatives[0][0]
        assert "ヒント 一郎" in text and CODE_IN_HINT not in text and "0123" not in text


@pytest.mark.django_db
@pytest.mark.parametrize("address", ["taro.@docomo.ne.jp", "taro..yamada@ezweb.ne.jp"])
def test_it_accepts_carriers_older_addresses_with_a_warning(staff_client, address):
    response = _add(staff_client, registered_email=address)
    assert Worker.objects.get().registered_email == address
    shown = [w.message for w in staff_client.get(response["Location"]).context["warnings"]]
    assert any("2009年以前に携帯各社が発行した形式" in m for m in shown)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("a@example.jp, b@example.jp", "アドレスが2件入っています"),
        ("a@example.jp；b@example.jp", "アドレスが2件入っています"),
        ("山田 太郎 <taro@example.jp>", "アドレスだけを入力してください：taro@example.jp"),
        ("taro..yamada@example.jp", "メールアドレスの形になっていません"),
    ],
)
def test_it_says_exactly_what_is_wrong_with_an_email(staff_client, typed, message):
    response = _add(staff_client, registered_email=typed)
    assert message in response.content.decode()
    assert Worker.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("invisible", ["\u200b", "\ufeff", "\u00ad", "\u2060", "\u200e"])
def test_it_drops_invisible_characters_pasted_into_an_id(staff_client, invisible):
    _add(staff_client, ccus_id=f"1234{invisible}5678 9012{invisible}34")
    assert Worker.objects.get().ccus_id == "12345678901234"


@pytest.mark.django_db
def test_it_names_a_remaining_bad_character_in_words(staff_client):
    body = _add(staff_client, ccus_id="1234567890123\x074").content.decode()
    assert "見えない文字" in body and "U+" not in body
    assert Worker.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("０３（１２３４）５６７８", "03-1234-5678"),
        ("090ー1111ー2222", "090-1111-2222"),
        ("06 6123 4567", "06-6123-4567"),
        ("(03)1234-5678", "03-1234-5678"),
    ],
)
def test_it_stores_phones_in_half_width_digits_and_hyphens(staff_client, typed, stored):
    _add(staff_client, phone=typed)
    assert Worker.objects.get().phone == stored


@pytest.mark.django_db
def test_it_warns_of_a_birth_date_out_of_working_age(staff_client):
    response = _add(staff_client, birth_date="2020-04-01")
    shown = [w.message for w in staff_client.get(response["Location"]).context["warnings"]]
    assert any("歳になります" in m for m in shown)
    assert Worker.objects.count() == 1


@pytest.mark.django_db
def test_it_gives_a_business_account_an_initial_password(staff_client):
    _add(staff_client, "companies", initial_password="first-pw-from-notice")
    assert Company.objects.get().initial_password == "first-pw-from-notice"


@pytest.mark.django_db
def test_it_flags_hints_saved_before_the_code_anywhere_rule(organization):
    migration = importlib.import_module("ccus.migrations.0007_office_data")
    held = make_worker(organization, security_code="0123", security_code_hint=CODE_IN_HINT)
    plain = make_worker(organization, security_code_hint="金庫の赤い封筒")
    Worker.objects.update(hint_is_code=False)  # as the 4-digits-only rule left them
    migration.flag_codes_in_hints(Worker)
    assert Worker.objects.get(pk=held.pk).hint_is_code is True
    assert Worker.objects.get(pk=plain.pk).hint_is_code is False
