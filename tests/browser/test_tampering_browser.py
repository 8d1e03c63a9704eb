"""A value copied from another record is shown as unreadable, on a desktop and on a phone."""

import pytest
from django.db import connection

from tests.console import sign_in
from tests.factories import SECRETS, make_member, make_secret_worker

UNREADABLE_JA = "読めません（改ざんの可能性）"


@pytest.fixture
def signed_in_page(page, live_server, organization):
    owner = make_member(organization, "owner")
    from django.test import Client

    client = Client()
    sign_in(client, owner)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return page


@pytest.mark.django_db(transaction=True)
def test_it_shows_a_swapped_password_as_unreadable_and_counts_it(
    signed_in_page, screenshot, organization
):
    page = signed_in_page
    first = make_secret_worker(organization)
    second = make_secret_worker(organization, name="佐藤 次郎", ccus_id="55556666777788")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE ccus_worker SET password = (SELECT password FROM ccus_worker WHERE id = %s) "
            "WHERE id = %s",
            [first.pk, second.pk],
        )
    page.goto(f"/workers/{second.uuid}/")
    assert page.get_by_text(UNREADABLE_JA).is_visible()
    assert SECRETS["password"] not in page.content()
    screenshot("unreadable-detail-desktop")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/")
    assert page.get_by_text("1件の値が読めません（改ざんの可能性）").is_visible()
    screenshot("unreadable-health-phone")
