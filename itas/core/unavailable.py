"""What a respondent sees when the server fails under them (database away, a bug, anything):
never the staff site's error page with its menu and login link, but a Thai page that says the
answers are still on this phone and sends them again by itself.

Apps register the path prefixes of their public respondent pages (``/go/`` for the
questionnaire, the event registration page) in ``AppConfig.ready``. The project's 500 handler
asks :func:`is_respondent_path`; on those paths it answers with :func:`respondent_unavailable`:
503 with ``Retry-After``, ``no-store``, no cookie, and a form that repeats what was sent (the
same fields, so the same submission id) and resubmits itself with growing pauses, at most
``RESEND_LIMIT`` times, after which the person presses the button.

The page is rendered without the request's context processors and without any database or
cache access: it is what is left when those are down.
"""

from __future__ import annotations

import logging

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation

log = logging.getLogger(__name__)

RESEND_LIMIT = 6
FIRST_PAUSE = 5  # seconds; doubles on every attempt, at most MAX_PAUSE
MAX_PAUSE = 120
ATTEMPT_FIELD = "_resend"

_prefixes: list[str] = []


def register_respondent_path(prefix: str) -> None:
    if prefix not in _prefixes:
        _prefixes.append(prefix)


def is_respondent_path(path: str) -> bool:
    return any(path.startswith(p) for p in _prefixes)


def pause_for(attempt: int) -> int:
    return min(FIRST_PAUSE * 2**attempt, MAX_PAUSE)


def _sent_fields(request) -> list[tuple[str, str]]:
    data = request.POST if request.method == "POST" else request.GET
    try:
        return [(k, v) for k, values in data.lists() if k != ATTEMPT_FIELD for v in values]
    except Exception:  # noqa: BLE001 - the body itself may be what failed (too large, cut off)
        return []


def _attempt(request) -> int:
    data = request.POST if request.method == "POST" else request.GET
    try:
        return max(0, min(int(data.get(ATTEMPT_FIELD, 0)), RESEND_LIMIT))
    except Exception:  # noqa: BLE001
        return 0


def respondent_unavailable(request) -> HttpResponse:
    attempt = _attempt(request)
    pause = pause_for(attempt)
    posted = request.method == "POST"
    with translation.override("th"):
        html = render_to_string(
            "core/respondent_unavailable.html",
            {
                "posted": posted,
                "method": "post" if posted else "get",
                "action": request.path,
                "fields": _sent_fields(request),
                "attempt_field": ATTEMPT_FIELD,
                "next_attempt": attempt + 1,
                "pause": pause,
                "give_up": attempt >= RESEND_LIMIT,
            },
        )
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(pause)
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    response["Content-Language"] = "th"
    response.itas_no_cookies = True  # type: ignore[attr-defined]  # read by the middleware below
    return response


class NoCookiesOnFailureMiddleware:
    """Outermost: the middlewares inside it (session, CSRF) may add a cookie to the failure
    page on its way out; a respondent's failure page sets none."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(response, "itas_no_cookies", False):
            response.cookies.clear()
        return response
