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

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from itas.core import cacheguard
from itas.frameworks.spec import FrameworkSpec
from itas.surveys.models import Flag, Response

log = logging.getLogger(__name__)

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
    of the burst. Returns the ids flagged now.

    Runs after the answer is committed, so it never raises: a flag is a hint for NACC, and a
    cache or database hiccup here must not turn a stored answer into an error page."""
    if not response.abuse_hash:
        return []
    conf = settings_()
    try:
        ids = cacheguard.guarded("surveys.flags", lambda: _recent(response, conf), [])
        if len(ids) < conf["burst_count"]:
            return []
        return _flag_burst(ids)
    except Exception as exc:  # noqa: BLE001 - see the docstring
        log.warning("burst flag skipped", extra={"error": exc.__class__.__name__})
        return []


def _recent(response: Response, conf: dict) -> list[int]:
    """The ids of this hash's submissions within the window, this one included."""
    window = conf["burst_minutes"] * 60
    key = f"itas:burst:{response.abuse_hash}"
    now = time.time()
    client = cacheguard.redis_client()
    if client is not None:
        # One round trip, and no lost update when two submissions of a hash arrive together
        # (a read-modify-write of a cached list would drop one of them).
        full = cache.make_key(key)
        pipe = client.pipeline(transaction=True)
        pipe.zadd(full, {str(response.pk): now})
        pipe.zremrangebyscore(full, "-inf", now - window)
        pipe.zrevrange(full, 0, 199)
        pipe.expire(full, window)
        members = pipe.execute()[2]
        return [int(m) for m in members]
    recent = [(t, pk) for t, pk in (cache.get(key) or []) if now - t <= window]
    recent.append((now, response.pk))
    cache.set(key, recent[-200:], timeout=window)
    return [pk for _t, pk in recent]


def _flag_burst(ids: list[int]) -> list[int]:
    # Every later submission of a burst finds the earlier ones flagged already: a plain read
    # first, and the locked read-modify-write only for the rows that still lack the flag.
    ids = [
        pk
        for pk, flags in Response.objects.filter(pk__in=ids).values_list("pk", "flags")
        if Flag.BURST.value not in flags
    ]
    if not ids:
        return []
    flagged = []
    with transaction.atomic():
        for r in Response.objects.select_for_update().filter(pk__in=ids).only("pk", "flags"):
            if Flag.BURST.value not in r.flags:
                r.flags = [*r.flags, Flag.BURST.value]
                r.flagged = True
                r.save(update_fields=["flags", "flagged"])
                flagged.append(r.pk)
    return flagged
