"""Browsers find the site icon at /favicon.ico and through the link every page carries."""

import pytest

from tests.console import sign_in


@pytest.mark.django_db
def test_it_serves_the_icon_before_sign_in(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # an ICO file


@pytest.mark.django_db
def test_it_serves_the_icon_to_an_owner_who_has_not_entered_the_second_factor(client, owner):
    client.force_login(owner)
    assert client.get("/favicon.ico").status_code == 200


@pytest.mark.django_db
def test_it_links_the_icon_from_every_page(client, owner):
    assert 'rel="icon" href="/static/favicon.ico"' in client.get("/login/").content.decode()
    sign_in(client, owner)
    assert 'rel="icon" href="/static/favicon.ico"' in client.get("/").content.decode()
    assert client.get("/static/favicon.ico").status_code == 200
