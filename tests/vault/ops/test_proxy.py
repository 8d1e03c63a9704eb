"""The proxy headers count only when a setting says a proxy sets them."""

import pytest
from django.test import override_settings

from vault.audit.models import AuditEvent
from vault.ops.proxy import ProxyClientAddressMiddleware


def _meta(request):
    return request.META["REMOTE_ADDR"], request.is_secure()


def test_it_ignores_the_proxy_headers_without_the_setting(rf, settings):
    settings.BEHIND_TLS_PROXY = False
    request = rf.get("/", HTTP_X_FORWARDED_FOR="198.51.100.9", HTTP_X_FORWARDED_PROTO="https")
    assert ProxyClientAddressMiddleware(_meta)(request) == ("127.0.0.1", False)


def test_it_trusts_the_proxy_headers_with_the_setting(rf, settings):
    settings.BEHIND_TLS_PROXY = True
    request = rf.get("/", HTTP_X_FORWARDED_FOR="198.51.100.9", HTTP_X_FORWARDED_PROTO="https")
    with override_settings(SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https")):
        assert ProxyClientAddressMiddleware(_meta)(request) == ("198.51.100.9", True)


def test_it_reads_the_proxy_setting_from_the_environment():
    from vault import settings as production

    assert production.BEHIND_TLS_PROXY is False
    assert production.SECURE_PROXY_SSL_HEADER is None


@pytest.mark.django_db
def test_it_records_the_visitors_address_behind_the_proxy(client, owner, settings):
    settings.BEHIND_TLS_PROXY = True
    client.post(
        "/login/",
        {"username": owner.email, "password": "wrong-password-here"},
        HTTP_X_FORWARDED_FOR="203.0.113.5",
    )
    from axes.models import AccessAttempt

    assert AccessAttempt.objects.get().ip_address == "203.0.113.5"
    assert (
        not AuditEvent.objects.exclude(ip_address="203.0.113.5")
        .filter(ip_address__isnull=False)
        .exists()
    )
