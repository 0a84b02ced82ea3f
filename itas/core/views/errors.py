"""The error pages: Django's handlers (itas/urls.py) and `error_page`, which every domain error
a view lets through is rendered with (core.middleware.DomainErrorMiddleware)."""

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from itas.core import unavailable


def _error(request, status: int, title: str, message: str):
    return render(
        request,
        "core/error.html",
        {"status": status, "title": title, "message": message},
        status=status,
    )


def error_page(request, status: int, message: str, title: str = ""):
    """The one error page: the handlers below and every domain error a view lets through
    (core.middleware.DomainErrorMiddleware) render it."""
    titles = {
        400: _("Bad request"),
        403: _("Not allowed"),
        404: _("Page not found"),
        409: _("Conflict"),
    }
    return _error(request, status, title or titles.get(status, _("Bad request")), message)


def permission_denied(request, exception=None):
    return _error(
        request, 403, _("Not allowed"), _("You do not have permission to open this page.")
    )


def page_not_found(request, exception=None):
    return _error(request, 404, _("Page not found"), _("The page you asked for does not exist."))


def bad_request(request, exception=None):
    return _error(request, 400, _("Bad request"), _("The request could not be understood."))


def server_error(request):
    if unavailable.is_respondent_path(request.path):
        return unavailable.respondent_unavailable(request)
    title = _("Something went wrong")
    message = _("An unexpected error occurred. Please try again later.")
    try:
        return _error(request, 500, title, message)
    except Exception:  # noqa: BLE001 - the layout reads the session and menu: the database
        # may be what failed; the same page without the signed-in parts needs none of it.
        context = {"status": 500, "title": title, "message": message}
        return HttpResponse(render_to_string("core/error.html", context), status=500)
