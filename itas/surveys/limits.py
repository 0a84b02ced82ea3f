"""Rate limits on the public questionnaire (Django's cache; Redis in production).

They protect the service, never an honest office. Many staff of one office share one IP
address, so nothing is counted per IP alone:

* per access code: ``code_per_minute`` requests a minute (default 300: a whole large office
  opening the link at once still passes);
* per abuse hash (IP address + user agent + code): ``hash_per_10_minutes`` *submissions* in ten
  minutes (default 40). Identical office PCs share a hash; 40 in ten minutes is four a minute,
  more than a queue of people at one PC can type.

Settings: ``ITAS_SURVEY_LIMITS`` (environment ITAS_SURVEY_CODE_PER_MINUTE and
ITAS_SURVEY_HASH_PER_10_MINUTES). When a limit trips the person sees a Thai page (HTTP 429,
Retry-After) saying their answers are still kept on their device and to try again shortly.
Doubtful patterns below these limits are *flagged* for NACC (see flags.py), never blocked.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache

DEFAULTS = {"code_per_minute": 300, "hash_per_10_minutes": 40}


def _limits() -> dict:
    return {**DEFAULTS, **getattr(settings, "ITAS_SURVEY_LIMITS", {})}


def _hit(key: str, window: int, limit: int) -> int | None:
    """Count one hit in the current window; the seconds to wait if over the limit."""
    now = time.time()
    bucket = int(now // window)
    full = f"itas:rl:{key}:{bucket}"
    cache.add(full, 0, timeout=window + 5)
    try:
        count = cache.incr(full)
    except ValueError:  # expired between add and incr
        cache.set(full, 1, timeout=window + 5)
        count = 1
    if count > limit:
        return int((bucket + 1) * window - now) + 1
    return None


def check_code(code: str) -> int | None:
    return _hit(f"code:{code}", 60, _limits()["code_per_minute"])


def check_submission(abuse_hash: str) -> int | None:
    return _hit(f"hash:{abuse_hash}", 600, _limits()["hash_per_10_minutes"])
