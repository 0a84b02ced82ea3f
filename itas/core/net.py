"""Who is asking: the client's address, read the same way everywhere (questionnaire abuse hash,
event registration limits, login lockout)."""

from django.conf import settings


def client_ip(request) -> str:
    """The client's address. Behind N trusted reverse proxies (settings.ITAS_PROXY_COUNT) the
    N-th address from the right of X-Forwarded-For; otherwise REMOTE_ADDR. Addresses further
    left are the client's own claim and are never trusted."""
    proxies = int(getattr(settings, "ITAS_PROXY_COUNT", 0) or 0)
    if proxies:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [p for p in forwarded if p]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")
