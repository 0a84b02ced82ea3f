"""Rate limits on the public questionnaire (Django's cache; Redis in production).

They protect the service, never an honest office, and they never decide whether an answer is
stored: when the cache fails, nothing is limited (a warning is logged and counted, see
``itas.core.cacheguard``), and a retry of an answer already stored gets its thank-you page
before any limit is asked (public.py).

Counters, in the order they are asked (a refused request does not count against the later
ones, so one client cannot use up a shared ceiling):

* per client (keyed hash of address + user agent): ``client_per_minute`` requests (120). One
  person needs about four (the form, the send, the thank-you page, a retry); 120 lets a room
  of identical office PCs behind one address start together.
* per address: ``ip_per_minute`` requests (3,000), a ceiling for an office network, above the
  peak of the largest agency (below);
* per access code: ``code_per_minute`` requests (6,000), twice the address ceiling, so one
  address alone can never close an agency's questionnaire to everybody else;
* unknown codes per address: ``unknown_per_ip_per_10_minutes`` lookups of a code that does not
  exist (30). Codes are 6 characters from 23, about 148 million, of which ~8,300 live: at 30
  misses in ten minutes one address finds a live code about once in four days.
* per abuse hash (address + user agent + code): ``hash_per_10_minutes`` *submissions* (40).

Why 3,000 and 6,000 a minute: the largest local administrative organisations (a city
municipality or a provincial organisation with its schools) employ fewer than 5,000 people.
All of them answering within one hour through one office Wi-Fi (one address) is 5,000 × 4 =
20,000 requests, 333 a minute on average; if half come in the ten minutes after a staff
meeting, 1,000 a minute. The address ceiling is three times that peak, the code ceiling six.

Settings: ``ITAS_SURVEY_LIMITS`` (environment ITAS_SURVEY_CLIENT_PER_MINUTE,
ITAS_SURVEY_IP_PER_MINUTE, ITAS_SURVEY_CODE_PER_MINUTE, ITAS_SURVEY_UNKNOWN_PER_10_MINUTES,
ITAS_SURVEY_HASH_PER_10_MINUTES). When a limit trips the person sees a Thai page (HTTP 429,
Retry-After) saying their answers are still kept on their device.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from itas.core import cacheguard
from itas.surveys import anon, flags

DEFAULTS = {
    "client_per_minute": 120,
    "ip_per_minute": 3000,
    "code_per_minute": 6000,
    "unknown_per_ip_per_10_minutes": 30,
    "hash_per_10_minutes": 40,
}

# One round trip for every counter of a request. Each counter is (mode, limit, window in ms);
# "incr" counts this request, "peek" only reads (the guesses so far). The first counter over
# its limit stops the script, so later counters are not charged for a refused request.
# "seen" refuses nothing: it reads how many members of a sorted set arrived within the window
# (the burst note's recent submissions of a hash, flags.py), returned third, so a submission
# learns whether it completes a burst in the round trip it makes anyway.
_SCRIPT = """
local seen = 0
for i, key in ipairs(KEYS) do
  local mode = ARGV[3 * i - 2]
  local limit = tonumber(ARGV[3 * i - 1])
  local window = tonumber(ARGV[3 * i])
  local n
  if mode == "seen" then
    local t = redis.call("TIME")
    local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
    seen = redis.call("ZCOUNT", key, now - window, "+inf")
  elseif mode == "peek" then
    n = tonumber(redis.call("GET", key) or "0")
    if n >= limit then return {i, redis.call("PTTL", key), seen} end
  else
    n = redis.call("INCR", key)
    if n == 1 then redis.call("PEXPIRE", key, window) end
    if n > limit then return {i, redis.call("PTTL", key), seen} end
  end
end
return {0, 0, seen}
"""


@dataclass(frozen=True)
class Counter:
    key: str
    limit: int
    window: int  # seconds
    mode: str = "incr"


def _limits() -> dict:
    return {**DEFAULTS, **getattr(settings, "ITAS_SURVEY_LIMITS", {})}


def _wait_seconds(ttl_ms: int, window: int) -> int:
    return max(1, (ttl_ms + 999) // 1000) if ttl_ms > 0 else window


def _key(c: Counter) -> str:
    return c.key if c.mode == "seen" else f"itas:rl:{c.key}"


def _on_redis(client, counters: list[Counter]) -> tuple[int | None, int]:
    keys = [cache.make_key(_key(c)) for c in counters]
    args = []
    for c in counters:
        args += [c.mode, c.limit, c.window * 1000]
    index, ttl, seen = cacheguard.script(client, _SCRIPT)(keys=keys, args=args, client=client)
    if not index:
        return None, int(seen)
    return _wait_seconds(int(ttl), counters[int(index) - 1].window), int(seen)


def _on_any_cache(counters: list[Counter]) -> tuple[int | None, int]:
    """The same with the plain cache API (the in-process cache of development and tests)."""
    return _limited_on_any_cache([c for c in counters if c.mode != "seen"]), sum(
        flags.seen_in_window(c.key) for c in counters if c.mode == "seen"
    )


def _limited_on_any_cache(counters: list[Counter]) -> int | None:
    for c in counters:
        full = _key(c)
        if c.mode == "peek":
            if (cache.get(full) or 0) >= c.limit:
                return c.window
            continue
        cache.add(full, 0, timeout=c.window)
        try:
            count = cache.incr(full)
        except ValueError:  # expired between add and incr
            cache.set(full, 1, timeout=c.window)
            count = 1
        if count > c.limit:
            return c.window
    return None


def _check(counters: list[Counter]) -> int | None:
    """Seconds to wait if a counter is over its limit; None to go on (also when the cache
    fails: limits protect the service, they never refuse because the cache is away)."""
    return _check_and_count(counters)[0]


def _check_and_count(counters: list[Counter]) -> tuple[int | None, int]:
    """The same, and what a "seen" counter read (0 when the cache fails)."""

    def count():
        client = cacheguard.redis_client()
        return _on_redis(client, counters) if client is not None else _on_any_cache(counters)

    return cacheguard.guarded("surveys.limits", count, (None, 0))


def check_request(request, code: str) -> int | None:
    """Before the access code is looked up: this client, this address, this address's wrong
    guesses so far, then the code itself."""
    return _check(_request_counters(request, code))


def _request_counters(request, code: str) -> list[Counter]:
    conf = _limits()
    return [
        Counter(f"client:{anon.client_key(request)}", conf["client_per_minute"], 60),
        Counter(f"ip:{anon.client_key(request, ip_only=True)}", conf["ip_per_minute"], 60),
        _guesses(request, conf, mode="peek"),
        Counter(f"code:{code}", conf["code_per_minute"], 60),
    ]


def check_guesses(request) -> int | None:
    """Only the unknown-code counter (pages that look a code up but serve no form)."""
    return _check([_guesses(request, _limits(), mode="peek")])


def note_unknown_code(request) -> None:
    """Count a lookup of a code that does not exist (guessing codes)."""
    _check([_guesses(request, _limits(), mode="incr")])


def _guesses(request, conf: dict, *, mode: str) -> Counter:
    return Counter(
        f"unknown:{anon.client_key(request, ip_only=True)}",
        conf["unknown_per_ip_per_10_minutes"],
        600,
        mode,
    )


def check_submission(request, code: str, abuse_hash: str) -> tuple[int | None, int]:
    """A submission to a known code: the request's counters (check_request), then its abuse
    hash's submissions, in one round trip. Returns the seconds to wait (None: go on) and how
    many submissions of the hash the burst note holds within its window (flags.py)."""
    return _check_and_count(
        [
            *_request_counters(request, code),
            Counter(f"hash:{abuse_hash}", _limits()["hash_per_10_minutes"], 600),
            Counter(
                flags.burst_key(abuse_hash), 0, flags.settings_()["burst_minutes"] * 60, "seen"
            ),
        ]
    )
