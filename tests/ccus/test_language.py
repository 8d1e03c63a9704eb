"""The console speaks Japanese by default; English can be chosen."""

import pytest

from tests.console import sign_in
from tests.factories import make_worker


@pytest.mark.django_db
def test_it_speaks_japanese_by_default_and_english_on_request(client, owner, organization):
    worker = make_worker(organization, ccus_id="12345678901234")
    sign_in(client, owner)
    japanese = client.get(f"/workers/{worker.uuid}/").content.decode()
    assert "技能者ID" in japanese and "編集" in japanese
    client.post("/language/", {"language": "en", "next": "/"})
    english = client.get(f"/workers/{worker.uuid}/").content.decode()
    assert "Worker ID" in english and "Edit" in english and "技能者ID" not in english


@pytest.mark.django_db
def test_it_offers_the_language_choice_before_sign_in(client):
    page = client.get("/login/").content.decode()
    assert "CCUS Vault にログイン" in page
    assert 'value="en"' in page
