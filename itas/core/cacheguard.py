"""The cache (Redis in production) as a helper that may fail, never as a dependency.

Rate limits, burst flags and report caches make things nicer; none of them may refuse an
answer or turn a stored answer into an error. Code that uses the cache on such a path wraps
the call in :func:`guarded`: any error is logged as a warning, counted (``degraded()``, shown
by the readiness endpoint), and the caller gets its fallback.

After an error the cache is skipped in this process for ``ITAS_CACHE_RETRY_SECONDS`` (default
5): a Redis that is paused rather than dead would otherwise cost every request the socket
timeout (``ITAS_REDIS_SOCKET_TIMEOUT``, see settings) once per call.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections import Counter
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import caches

log = logging.getLogger("itas.cache")
T = TypeVar("T")

_lock = threading.Lock()
_counts: Counter[str] = Counter()
_skip_until = 0.0
_last_warning = 0.0


def degraded() -> dict[str, int]:
    """How many times, per use, this process went on without the cache since it started."""
    with _lock:
        return dict(_counts)


def available() -> bool:
    return time.monotonic() >= _skip_until


_clients = threading.local()


def redis_client():
    """The redis-py client behind Django's cache, or None when the cache is not Redis (the
    in-process cache of development and tests). One client per thread and cache backend:
    making a redis-py client builds its table of response callbacks, which cost more than the
    round trip it was made for (the connection pool behind it is shared either way)."""
    from django.core.cache.backends.redis import RedisCache

    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        return None
    held = getattr(_clients, "held", None)
    if held is None or held[0] is not backend:
        held = _clients.held = (backend, backend._cache.get_client(write=True))
    return held[1]


_scripts: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def script(client, text: str):
    """The Lua script `text` registered with this client: run by its SHA (EVALSHA, loaded
    again by redis-py if the server lost it), so neither side hashes its text per request."""
    held = _scripts.setdefault(client, {})
    if text not in held:
        held[text] = client.register_script(text)
    return held[text]


def guarded(use: str, call: Callable[[], T], fallback: T) -> T:
    """``call()``, or ``fallback`` when the cache fails (or failed moments ago)."""
    global _skip_until, _last_warning
    if not available():
        with _lock:
            _counts[use] += 1
        return fallback
    try:
        return call()
    except Exception as exc:  # noqa: BLE001 - whatever the cache raises, the caller goes on
        now = time.monotonic()
        with _lock:
            _counts[use] += 1
            _skip_until = now + float(getattr(settings, "ITAS_CACHE_RETRY_SECONDS", 5))
            # One line per few seconds is enough to page someone; a line per request would
            # bury every other message during an outage.
            loud = now - _last_warning >= 10
            if loud:
                _last_warning = now
        if loud:
            log.warning(
                "cache unavailable, going on without it",
                extra={"use": use, "error": exc.__class__.__name__, "count": _counts[use]},
            )
        return fallback


def reset() -> None:
    """Forget past errors (tests, and a process that knows the cache is back)."""
    global _skip_until, _last_warning
    with _lock:
        _counts.clear()
        _skip_until = 0.0
        _last_warning = 0.0
