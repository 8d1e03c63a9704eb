"""A subcontractor's owners get the invitation of a prime through the real worker and SMTP."""

import pytest
from django.db import transaction

from ccus.oversight.engagements import engagement_invite
from tests.factories import leaked, make_member, make_organization, make_secret_worker

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


def test_it_emails_every_owner_of_the_invited_firm_once(worker, smtp):
    prime = make_organization("元請建設")
    prime_owner = make_member(prime, "owner")
    sub = make_organization("協力建設")
    owners = [make_member(sub, "owner"), make_member(sub, "owner")]
    make_member(sub, "staff")
    make_secret_worker(sub)
    with transaction.atomic():
        engagement = engagement_invite(
            prime=prime, subcontractor=sub, actor=prime_owner, request=None
        )
    received = smtp.wait_for(2)
    assert sorted(m["To"] for m in received) == sorted(u.email for u in owners)
    message = received[0]
    assert "元請建設" in str(message["Subject"]) and "招待" in str(message["Subject"])
    text = message.get_body(("plain",)).get_content()
    assert f"/engagements/#invitation-{engagement.uuid}" in text
    for body in (text, message.get_body(("html",)).get_content(), message.as_string()):
        assert leaked(body) == []
