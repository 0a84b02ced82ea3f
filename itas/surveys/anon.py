"""What the public questionnaire may know about a respondent, and no more.

A stored response holds no account, IP address, cookie or session id, and its time is cut to
the hour. For abuse control only, a keyed hash of (IP address, user agent, access code) is kept
beside it (HMAC-SHA256 with the site's secret and the cycle as the salt, so it cannot be
reversed by trying every IP address without the secret); the cycle's closing erases it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import time

from django.conf import settings
from django.core import signing
from django.utils import timezone

from itas.core.net import client_ip

START_SALT = "itas.surveys.started"
MAX_DURATION = 24 * 3600


def abuse_hash(request, *, cycle_id: int, code: str) -> str:
    ua = request.META.get("HTTP_USER_AGENT", "")[:500]
    message = f"{cycle_id}|{client_ip(request)}|{ua}|{code}".encode()
    key = f"itas.surveys.abuse|{settings.SECRET_KEY}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def client_key(request, *, ip_only: bool = False) -> str:
    """A keyed hash of the client (address and user agent, or the address alone) for rate-limit
    counters that live a few minutes in the cache: never the address itself."""
    ua = "" if ip_only else request.META.get("HTTP_USER_AGENT", "")[:500]
    message = f"{client_ip(request)}|{ua}|{int(ip_only)}".encode()
    key = f"itas.surveys.client|{settings.SECRET_KEY}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:32]


def hour_of(moment: dt.datetime | None = None) -> dt.datetime:
    moment = moment or timezone.now()
    return moment.replace(minute=0, second=0, microsecond=0)


def start_token() -> str:
    """Put in the form when it is served: tells the server, signed, when filling in began."""
    return signing.dumps(int(time.time()), salt=START_SALT)


def duration_from(token: str) -> int | None:
    """Seconds since the form was served, or None if the token is missing, forged or stale."""
    try:
        started = signing.loads(token or "", salt=START_SALT, max_age=MAX_DURATION)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(started, int):
        return None
    return max(0, int(time.time()) - started)
