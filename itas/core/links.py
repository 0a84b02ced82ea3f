"""The one rule for absolute links (survey links, QR codes, posters, event and calendar links,
links in e-mails): the configured public address `ITAS_PUBLIC_BASE_URL` when it is set, else the
address the current request came to, else (a command or a background job, with nothing
configured) the development server's address.

The request is kept for the duration of each request by `CurrentRequestMiddleware` in a context
variable, so code far from the view (a QR code, an e-mail built in a service) follows the same
rule without every function passing the request down. A context variable rather than a library
such as django-crum: it is these few lines, and it is safe with threads and async alike.
The request's host is checked by Django against ALLOWED_HOSTS before it is used.
"""

from __future__ import annotations

from contextvars import ContextVar

from django.conf import settings

DEVELOPMENT_BASE = "http://127.0.0.1:8000"

_request: ContextVar = ContextVar("itas_current_request", default=None)


class CurrentRequestMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)


def public_base(request=None) -> str:
    """Scheme and host (no trailing slash) that absolute links start with."""
    configured = (getattr(settings, "PUBLIC_BASE_URL", "") or "").strip()
    if configured:
        return configured.rstrip("/")
    request = request if request is not None else _request.get()
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return DEVELOPMENT_BASE


def absolute(path: str, request=None) -> str:
    """The absolute URL of a path of this site (as `reverse` gives it)."""
    return public_base(request) + (path if path.startswith("/") else "/" + path)


def public_host(request=None) -> str:
    """The host name alone (for iCalendar UIDs and the like)."""
    return public_base(request).split("//")[-1].split("/")[0].split(":")[0] or "itas"
