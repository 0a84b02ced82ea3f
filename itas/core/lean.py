"""A short way through the middleware for the public respondent pages.

The questionnaire, its answers and its thank-you page are three requests per respondent, the
busiest path of the system, and they use none of what most of the middleware stack prepares:
no session, no signed-in person, no messages, no language choice (they are Thai, see
``surveys.public.cookieless``), no CSRF token (the form is exempt; the other pages are read
with GET). Views marked :func:`lean`, on a respondent path (``unavailable``), are called
directly by :class:`LeanMiddleware`, placed after the security and static-file middleware;
every other request goes down the whole stack as before.

What the skipped middleware would still have done to such a response is done here: the page's
language header (LocaleMiddleware), ``X-Frame-Options`` (XFrameOptionsMiddleware), a domain
error turned into the error page (DomainErrorMiddleware). A request the lean path does not
take (another method, an unknown path, a view not marked) costs one prefix test, or one URL
resolution on a respondent path.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.urls import Resolver404, get_resolver
from django.utils import translation

from itas.core import unavailable

LEAN_ATTR = "itas_lean"
SAFE_METHODS = ("GET", "HEAD")


def lean(view: Callable) -> Callable:
    """Mark a public view that needs no session, user, messages or locale middleware."""
    setattr(view, LEAN_ATTR, True)
    return view


class LeanMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.xframe = XFrameOptionsMiddleware(get_response)

    def __call__(self, request):
        view = match = None
        if unavailable.is_respondent_path(request.path_info):
            try:
                match = get_resolver().resolve(request.path_info)
            except Resolver404:
                match = None
            view = match.func if match is not None else None
        if (
            view is None
            or not getattr(view, LEAN_ATTR, False)
            or not (request.method in SAFE_METHODS or getattr(view, "csrf_exempt", False))
        ):
            return self.get_response(request)
        request.resolver_match = match
        language = settings.LANGUAGE_CODE
        with translation.override(language):
            request.LANGUAGE_CODE = language
            try:
                response = view(request, *match.args, **match.kwargs)
            except Exception as exc:
                from itas.core.errors import DomainError

                if not isinstance(exc, DomainError):
                    raise
                from itas.core.views.errors import error_page

                request.user = AnonymousUser()
                response = error_page(request, exc.status, str(exc), exc.title)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
        response.headers.setdefault("Content-Language", language)
        return self.xframe.process_response(request, response)
