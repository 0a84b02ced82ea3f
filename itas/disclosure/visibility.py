"""When agencies may see their decisions: once the review period has ended."""

from __future__ import annotations

from django.utils import timezone

from itas.cycles.models import Cycle, PhaseKind


def decisions_visible(cycle: Cycle) -> bool:
    """True after the OIT review phase has ended (the preliminary results are out)."""
    review = cycle.phase(PhaseKind.OIT_REVIEW)
    if review is None:
        return False
    return timezone.localdate() > review.ends_on
