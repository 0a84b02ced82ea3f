"""What the results pages share: the (real) cycle of a fiscal year, and refusing with the core
error page."""

from __future__ import annotations

from typing import NoReturn

from django.utils.translation import gettext as _

from itas.cycles.models import Cycle
from itas.reports.errors import ReportsError


def _fail(request, status: int, message: str, title: str | None = None) -> NoReturn:
    """Refuse with the core error page (DomainErrorMiddleware renders it)."""
    raise ReportsError(message, status=status, title=title or "")


def _cycle(fy: int) -> Cycle | None:
    return Cycle.objects.real().select_related("framework").filter(fiscal_year=fy).first()


def _no_cycle(request, fy: int) -> NoReturn:
    _fail(request, 404, _("There is no assessment cycle for fiscal year %(fy)s.") % {"fy": fy})
