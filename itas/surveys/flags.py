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


def burst_key(abuse_hash: str) -> str:
    """The cache key of a hash's recent submissions (a sorted set on Redis)."""
    return f"itas:burst:{abuse_hash}"


def seen_in_window(key: str) -> int:
    """How many submissions under this burst key the plain cache holds within the window (on
    Redis the rate limiter's script counts them, in the round trip it makes anyway)."""
    window = settings_()["burst_minutes"] * 60
    now = time.time()
    state = cache.get(key) or {"recent": []}
    return sum(1 for t, _pk in state["recent"] if now - t <= window)


def completes_burst(seen: int) -> bool:
    """Whether a submission, after `seen` others of its hash within the window, is part of
    a burst: then it is stored with the flag, instead of being updated after."""
    return seen + 1 >= settings_()["burst_count"]


def note_for_burst(response: Response) -> list[int]:
    """Remember this submission under its hash; if the hash has reached a burst, flag every
    response of the burst that is not flagged yet. Returns the ids flagged now. A response
    stored with the burst flag already (completes_burst) is only remembered as flagged.

    Runs after the answer is committed, so it never raises: a flag is a hint for NACC, and a
    cache or database hiccup here must not turn a stored answer into an error page."""
    if not response.abuse_hash:
        return []
    conf = settings_()
    try:
        ids = cacheguard.guarded("surveys.flags", lambda: _to_flag(response, conf), [])
        return _flag_burst(response, ids)
    except Exception as exc:  # noqa: BLE001 - see the docstring
        log.warning("burst flag skipped", extra={"error": exc.__class__.__name__})
        return []


# One round trip, atomic: note the submission, forget those older than the window, and when
# the hash has a burst, hand out the ids of the burst not handed out before, each to exactly
# one caller. ARGV[5] = "1": this submission was stored with the flag, it is handed out to no
# one. In a steady burst (an office of identical PCs behind one address, or stuffing) each
# later submission is stored flagged and this returns nothing: no reading, locking or
# updating of the burst's rows on every submission.
_SCRIPT = """
local t = redis.call("TIME")
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[2])
redis.call("ZADD", KEYS[1], now, ARGV[1])
redis.call("ZREMRANGEBYSCORE", KEYS[1], "-inf", now - window)
redis.call("PEXPIRE", KEYS[1], window)
redis.call("ZREMRANGEBYSCORE", KEYS[2], "-inf", now - window)
if ARGV[5] == "1" then redis.call("ZADD", KEYS[2], now, ARGV[1]) end
redis.call("PEXPIRE", KEYS[2], window)
if redis.call("ZCARD", KEYS[1]) < tonumber(ARGV[3]) then return {} end
local out = {}
for _, member in ipairs(redis.call("ZREVRANGE", KEYS[1], 0, tonumber(ARGV[4]) - 1)) do
  if not redis.call("ZSCORE", KEYS[2], member) then
    redis.call("ZADD", KEYS[2], now, member)
    out[#out + 1] = member
  end
end
return out
"""
KEPT = 200  # the most recent submissions of a hash that one burst flags


def _to_flag(response: Response, conf: dict) -> list[int]:
    """The ids of this hash's burst (this submission included) that no one flagged yet."""
    window = conf["burst_minutes"] * 60
    key = burst_key(response.abuse_hash)
    stored_flagged = Flag.BURST.value in response.flags
    client = cacheguard.redis_client()
    if client is not None:
        members = cacheguard.script(client, _SCRIPT)(
            keys=[cache.make_key(key), cache.make_key(f"{key}:flagged")],
            args=[response.pk, window * 1000, conf["burst_count"], KEPT, int(stored_flagged)],
            client=client,
        )
        return [int(m) for m in members]
    # The plain cache API (development, tests): the same, as a read-modify-write.
    now = time.time()
    state = cache.get(key) or {"recent": [], "flagged": []}
    recent = [(t, pk) for t, pk in state["recent"] if now - t <= window]
    recent = [*recent, (now, response.pk)][-KEPT:]
    ids = [pk for _t, pk in recent]
    flagged = [pk for pk in state["flagged"] if pk in ids]
    if stored_flagged:
        flagged.append(response.pk)
    new = [pk for pk in ids if pk not in flagged] if len(ids) >= conf["burst_count"] else []
    cache.set(key, {"recent": recent, "flagged": flagged + new}, timeout=window)
    return new


def _flag_burst(response: Response, ids: list[int]) -> list[int]:
    if not ids:
        return []
    flagged = []
    if response.pk in ids:
        # Its flags are the ones just written, and no one else writes them: one statement.
        response.flags = [*response.flags, Flag.BURST.value]
        response.flagged = True
        Response.objects.filter(pk=response.pk).update(flags=response.flags, flagged=True)
        flagged.append(response.pk)
    others = [pk for pk in ids if pk != response.pk]
    if others:
        with transaction.atomic():
            for r in Response.objects.select_for_update().filter(pk__in=others).only("pk", "flags"):
                if Flag.BURST.value not in r.flags:
                    r.flags = [*r.flags, Flag.BURST.value]
                    r.flagged = True
                    r.save(update_fields=["flags", "flagged"])
                    flagged.append(r.pk)
    return flagged
