"""The Django admin manages accounts with every secret masked and write-only."""

import pytest

from ccus.accounts.lookup import filter_by_ccus_id
from ccus.accounts.models import Worker
from tests.console import sign_in
from tests.factories import SECRETS, leaked, make_secret_worker, make_user
from vault.auth.models import User


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root@example.jp", "correct-horse-battery")


@pytest.mark.django_db
def test_it_masks_every_secret_on_the_list_and_change_pages(client, superuser, organization):
    worker = make_secret_worker(organization)
    sign_in(client, superuser)
    pages = [
        client.get("/admin/ccus/worker/"),
        client.get(f"/admin/ccus/worker/{worker.pk}/change/"),
    ]
    for response in pages:
        assert response.status_code == 200
        body = response.content.decode()
        assert leaked(body) == []
    assert "•••• •••• ••12 34" in pages[1].content.decode()


def _add_worker(client, organization, **fields):
    """Post the admin's add form of a worker."""
    data = {"organization": organization.pk, "status": "active", **fields}
    return client.post("/admin/ccus/worker/add/", data)


@pytest.mark.django_db
def test_it_creates_a_worker_with_a_normalised_indexed_id(client, superuser, organization):
    sign_in(client, superuser)
    response = _add_worker(
        client, organization, name="新人 一郎", ccus_id="１２３４５６７８９０１２３４",
        password="typed-password",
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    worker = Worker.objects.get(name="新人 一郎")
    assert (worker.ccus_id, worker.password) == ("12345678901234", "typed-password")
    assert filter_by_ccus_id(Worker.objects.all(), organization, "12345678901234").exists()


@pytest.mark.django_db
def test_it_keeps_stored_secrets_when_left_blank(client, superuser, organization):
    worker = make_secret_worker(organization)
    sign_in(client, superuser)
    response = client.post(
        f"/admin/ccus/worker/{worker.pk}/change/",
        {"organization": organization.pk, "name": "改名 太郎", "status": "active"},
    )
    assert response.status_code == 302
    fresh = Worker.objects.get(pk=worker.pk)
    assert (fresh.name, fresh.password, fresh.ccus_id) == (
        "改名 太郎",
        SECRETS["password"],
        SECRETS["ccus_id"],
    )


@pytest.mark.django_db
def test_it_shows_a_duplicate_id_as_a_form_error(client, superuser, organization):
    make_secret_worker(organization)
    sign_in(client, superuser)
    response = client.post(
        "/admin/ccus/worker/add/",
        {
            "organization": organization.pk,
            "name": "二人目",
            "ccus_id": SECRETS["ccus_id"],
            "status": "active",
        },
    )
    assert response.status_code == 200
    assert "秘密 太郎" in response.content.decode()
    assert Worker.objects.count() == 1


@pytest.mark.django_db
def test_it_keeps_non_superusers_out(client):
    client.force_login(make_user())
    assert client.get("/admin/ccus/worker/").status_code == 302


@pytest.mark.django_db
def test_it_accepts_a_carriers_older_address_as_the_console_does(client, superuser, organization):
    sign_in(client, superuser)
    response = _add_worker(
        client, organization, name="携帯 旧式", registered_email="taro..yamada@ezweb.ne.jp"
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Worker.objects.get().registered_email == "taro..yamada@ezweb.ne.jp"
