"""Behind the TLS proxy: the client's address is the one the proxy says, nobody else."""

from django.conf import settings


class ProxyClientAddressMiddleware:
    """Take REMOTE_ADDR from X-Forwarded-For, when a setting says our proxy sets that header.

    The proxy must set (not append to) the header: deploy/nginx.conf sets it to the address it
    saw, so a client cannot choose the address that lockouts and the audit log record.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if settings.BEHIND_TLS_PROXY and forwarded:
            request.META["REMOTE_ADDR"] = forwarded.split(",")[-1].strip()
        return self.get_response(request)
