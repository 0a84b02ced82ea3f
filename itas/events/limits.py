"""Limits on the public registration form (Django's cache; Redis in production).

A registration request sends one e-mail, so both the recipient and the sender are limited:

* per e-mail address: ``per_address_per_hour`` requests (default 3), across every event. Nobody
  mistypes their own address more often than that, and an attacker cannot make ITAS mail a
  stranger more than three times an hour;
* per client address: ``per_client_per_hour`` requests (default 30). The busiest honest client is
  one office registering its admin, executive and five officers of the letter (7), or a district
  office helping its LAOs (a district of Bueng Kan has up to 10 LAOs; most register themselves).
  The attack on record (85 requests in 22 s) stops at the 31st.

Settings: ``ITAS_EVENT_LIMITS`` (a dict overriding the defaults). Below these limits, one client
registering for several agencies of an event is *flagged* to the organiser (see queries.py).
"""

from __future__ import annotations

import hashlib
import hmac
import time

from django.conf import settings
from django.core.cache import cache

DEFAULTS = {"per_address_per_hour": 3, "per_client_per_hour": 30, "suspicious_agencies": 3}
WINDOW = 3600


def limits() -> dict:
    return {**DEFAULTS, **getattr(settings, "ITAS_EVENT_LIMITS", {})}


def client_hash(client: str) -> str:
    """Keyed, so the stored value cannot be turned back into an address by trying them all."""
    key = f"itas.events.client|{settings.SECRET_KEY}".encode()
    return hmac.new(key, client.encode(), hashlib.sha256).hexdigest()


def _hit(key: str, limit: int) -> int | None:
    """Count one hit in the current hour; the seconds to wait when over the limit."""
    now = time.time()
    bucket = int(now // WINDOW)
    full = f"itas:events:rl:{key}:{bucket}"
    cache.add(full, 0, timeout=WINDOW + 5)
    try:
        count = cache.incr(full)
    except ValueError:  # expired between add and incr
        cache.set(full, 1, timeout=WINDOW + 5)
        count = 1
    if count > limit:
        return int((bucket + 1) * WINDOW - now) + 1
    return None


def check_client(client_key: str) -> int | None:
    if not client_key:
        return None
    return _hit(f"client:{client_key}", limits()["per_client_per_hour"])


def check_address(email: str) -> int | None:
    digest = hashlib.sha256(email.encode()).hexdigest()[:32]
    return _hit(f"address:{digest}", limits()["per_address_per_hour"])
