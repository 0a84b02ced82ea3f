"""Signals of doubtful answers, stored per response for NACC to judge. A flag never deletes or
hides an answer; NACC may exclude a response (and undo it), with an audit entry.

* too_fast: filled in faster than ``min_seconds_per_item`` seconds per sub-item (from the
  signed time the form was served; no clock time is stored, only the duration);
* straight_line: the same choice on every scale item, over at least ``straight_line_min_items``;
* burst: ``burst_count`` or more responses from one abuse hash within ``burst_minutes``. The
  recent submissions of a hash live in the cache only (the stored time is cut to the hour);
  when the count is reached, every response of the burst gets the flag.

Settings: ``ITAS_SURVEY_FLAGS``.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from itas.frameworks.spec import FrameworkSpec
from itas.surveys.models import Flag, Response

DEFAULTS = {
    "min_seconds_per_item": 1.0,
    "burst_count": 5,
    "burst_minutes": 10,
    "straight_line_min_items": 8,
}


def settings_() -> dict:
    return {**DEFAULTS, **getattr(settings, "ITAS_SURVEY_FLAGS", {})}


def answer_flags(
    spec: FrameworkSpec, instrument: str, chosen: dict, duration: int | None
) -> list[str]:
    conf = settings_()
    flags = []
    questions = spec.questions_for(instrument)
    items = sum(len(q.subitems) for q in questions)
    if duration is not None and duration < conf["min_seconds_per_item"] * items:
        flags.append(Flag.TOO_FAST.value)
    scale_values = [
        chosen[q.code][s.code]
        for q in questions
        if q.kind != "yes_no"
        for s in q.subitems
        if q.code in chosen and s.code in chosen[q.code]
    ]
    if len(scale_values) >= conf["straight_line_min_items"] and len(set(scale_values)) == 1:
        flags.append(Flag.STRAIGHT_LINE.value)
    return flags


def note_for_burst(response: Response) -> list[int]:
    """Remember this submission under its hash; if it completes a burst, flag every response
    of the burst. Returns the ids flagged now."""
    if not response.abuse_hash:
        return []
    conf = settings_()
    window = conf["burst_minutes"] * 60
    key = f"itas:burst:{response.abuse_hash}"
    now = time.time()
    recent = [(t, pk) for t, pk in (cache.get(key) or []) if now - t <= window]
    recent.append((now, response.pk))
    cache.set(key, recent[-200:], timeout=window)
    if len(recent) < conf["burst_count"]:
        return []
    ids = [pk for _t, pk in recent]
    flagged = []
    with transaction.atomic():
        for r in Response.objects.select_for_update().filter(pk__in=ids).only("pk", "flags"):
            if Flag.BURST.value not in r.flags:
                r.flags = [*r.flags, Flag.BURST.value]
                r.flagged = True
                r.save(update_fields=["flags", "flagged"])
                flagged.append(r.pk)
    return flagged
