"""What every stage's verbs share: the precondition checks and the text limit."""

from __future__ import annotations

from django.utils.translation import gettext as _

from itas.core.permissions import require_perm
from itas.cycles.models import Cycle

from ..errors import DisclosureError

MAX_TEXT = 5000


def _require(cond: bool, message: str) -> None:
    if not cond:
        raise DisclosureError(message)


def _require_perm(actor, perm: str, obj) -> None:
    # core's check, with the board's own wording and its 400 (its pages and tests rely on both)
    require_perm(
        actor,
        perm,
        obj,
        error=DisclosureError,
        message=_("You may not do this for this agency."),
        status=DisclosureError.status,
    )


def _require_phase(cycle: Cycle, *kinds: str, message: str) -> None:
    if not any(cycle.is_phase_open(k) for k in kinds):
        raise DisclosureError(message)
