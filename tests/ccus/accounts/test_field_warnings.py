"""Warnings beside a form field as it is left, and once (not twice) after saving."""

import pytest
from django.utils import translation

from ccus.accounts.models import Worker
from tests.console import sign_in
from tests.factories import leaked, make_company, make_worker


def _warnings(client, url: str, field: str, **values) -> list[str]:
    with translation.override("ja"):
        response = client.post(url, {"field": field, **values})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    return response.json()["warnings"]


@pytest.mark.django_db
def test_it_warns_of_an_email_another_worker_has(staff_client, organization):
    make_worker(organization, registered_email="same@example.jp")
    found = _warnings(
        staff_client, "/workers/new/warnings/", "registered_email",
        registered_email="ＳＡＭＥ@example.jp",
    )  # fmt: skip
    assert len(found) == 1
    assert "同じ登録メールアドレス" in found[0]


@pytest.mark.django_db
def test_it_warns_of_the_business_inbox_on_a_worker(staff_client, organization):
    make_company(organization, registered_email="office@example.jp")
    found = _warnings(
        staff_client, "/workers/new/warnings/", "registered_email",
        registered_email="office@example.jp",
    )  # fmt: skip
    assert len(found) == 1
    assert "事業者アカウントの登録メールアドレス" in found[0]


@pytest.mark.django_db
def test_it_warns_of_a_carrier_address_on_a_business_too(staff_client):
    found = _warnings(
        staff_client, "/companies/new/warnings/", "registered_email",
        registered_email="taro@docomo.ne.jp",
    )  # fmt: skip
    assert len(found) == 1
    assert "携帯電話会社のメールアドレスです" in found[0]


@pytest.mark.django_db
def test_it_warns_of_a_hint_that_is_the_code_typed_beside_it(staff_client):
    found = _warnings(
        staff_client, "/workers/new/warnings/", "security_code_hint",
        security_code="４８２１", security_code_hint="4821",
    )  # fmt: skip
    assert len(found) == 1
    assert not leaked(" ".join(found))


@pytest.mark.django_db
def test_it_compares_a_hint_with_the_stored_code_when_the_code_is_left_blank(
    staff_client, organization
):
    worker = make_worker(organization, security_code="4821")
    url = f"/workers/{worker.uuid}/warnings/"
    assert _warnings(staff_client, url, "security_code_hint", security_code_hint="封筒の4821")
    assert not _warnings(staff_client, url, "security_code_hint", security_code_hint="赤い封筒")


@pytest.mark.django_db
def test_it_tells_nothing_about_a_field_without_warnings_or_a_refused_value(staff_client):
    url = "/workers/new/warnings/"
    assert _warnings(staff_client, url, "registered_email", registered_email="ok@example.jp") == []
    assert _warnings(staff_client, url, "registered_email", registered_email="not-an-email") == []
    assert _warnings(staff_client, url, "password", password="docomo.ne.jp") == []


@pytest.mark.django_db
def test_it_answers_only_warnings_of_the_field_asked(staff_client):
    found = _warnings(
        staff_client, "/workers/new/warnings/", "security_code_hint",
        registered_email="taro@docomo.ne.jp", security_code_hint="赤い封筒",
    )  # fmt: skip
    assert found == []


@pytest.mark.django_db
def test_it_writes_nothing_while_warning(staff_client, organization):
    _warnings(staff_client, "/workers/new/warnings/", "registered_email", registered_email="a@b.jp")
    assert Worker.objects.count() == 0


@pytest.mark.django_db
def test_it_refuses_a_get(staff_client):
    assert staff_client.get("/workers/new/warnings/").status_code == 405


@pytest.mark.django_db
def test_it_is_a_404_for_another_firms_account(client, outsider, organization):
    worker = make_worker(organization)
    sign_in(client, outsider)
    response = client.post(f"/workers/{worker.uuid}/warnings/", {"field": "registered_email"})
    assert response.status_code == 404


@pytest.mark.django_db
def test_it_is_a_403_for_a_viewer(client, viewer, organization):
    worker = make_worker(organization)
    sign_in(client, viewer)
    response = client.post(f"/workers/{worker.uuid}/warnings/", {"field": "registered_email"})
    assert response.status_code == 403


@pytest.mark.django_db
def test_it_shows_warnings_once_after_saving(staff_client, organization):
    with translation.override("ja"):
        response = staff_client.post(
            "/workers/new/", {"name": "携帯", "registered_email": "k@docomo.ne.jp"}, follow=True
        )
    body = response.content.decode()
    assert [m.level_tag for m in response.context["messages"]] == ["success"]
    warning = "携帯電話会社のメールアドレスです"
    assert body.count(warning) == 1


@pytest.mark.django_db
def test_it_warns_of_digits_saved_as_the_other_kind_of_id(staff_client, organization):
    make_company(organization, name="自社", ccus_id="11112222333344")
    found = _warnings(
        staff_client, "/workers/new/warnings/", "ccus_id", ccus_id="1111 2222 3333 44"
    )
    assert len(found) == 1 and "自社" in found[0]


@pytest.mark.django_db
def test_it_warns_of_a_birth_date_typed_in_wareki_out_of_working_age(staff_client):
    found = _warnings(staff_client, "/workers/new/warnings/", "birth_date", birth_date="R2.4.1")
    assert len(found) == 1 and "歳になります" in found[0]


@pytest.mark.django_db
def test_a_form_sent_back_to_be_corrected_shows_warnings_beside_their_fields(staff_client):
    with translation.override("ja"):
        response = staff_client.post(
            "/workers/new/",
            {"name": "直す 人", "ccus_id": "123456789012", "registered_email": "k@docomo.ne.jp"},
        )
    body = response.content.decode()
    assert response.status_code == 200
    box = body.split('data-warnings-for="registered_email"')[1].split("</div>")[0]
    assert "携帯電話会社のメールアドレスです" in box
    assert body.count("携帯電話会社のメールアドレスです") == 1
    assert not Worker.objects.exists()
