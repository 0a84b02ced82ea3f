"""What the public questionnaire may know about a respondent, and no more.

A stored response holds no account, IP address, cookie or session id, and its time is cut to
the hour. For abuse control only, keyed hashes are kept beside it (HMAC-SHA256 with the site's
secret and the cycle as the salt, so they cannot be reversed by trying every IP address without
the secret): of (IP address, user agent, access code), of (IP address, access code) alone, and
of the start token's random nonce. The cycle's closing erases them.

The start token (`start_token`) is signed and made once per serving of the form, i.e. per
device visit: it carries the time the form was served, a random nonce and the access code. A
submission without one, with a forged one, one older than ``MAX_DURATION`` or one already used
by another submission is still stored (an honest answer is never lost) and marked
(`TokenStatus`), so the credibility engine can count it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.utils import timezone

from itas.core.net import client_ip

START_SALT = "itas.surveys.started"
MAX_DURATION = 24 * 3600


def _keyed(purpose: str, message: str) -> str:
    key = f"itas.surveys.{purpose}|{settings.SECRET_KEY}".encode()
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def abuse_hash(request, *, cycle_id: int, code: str) -> str:
    """The device: address + browser (+ code, salted by the cycle)."""
    ua = request.META.get("HTTP_USER_AGENT", "")[:500]
    return _keyed("abuse", f"{cycle_id}|{client_ip(request)}|{ua}|{code}")


def network_hash(request, *, cycle_id: int, code: str) -> str:
    """The network address alone: a stuffer who changes the browser string on every
    submission still shares it (so does an honest office behind one NAT: it is evidence to
    weigh with the answers, never a verdict)."""
    return _keyed("network", f"{cycle_id}|{client_ip(request)}|{code}")


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


def start_token(code: str = "") -> str:
    """Put in the form when it is served (once per device visit): tells the server, signed,
    when filling in began, for which access code, with a random nonce that makes a reuse
    visible."""
    return signing.dumps([int(time.time()), secrets.token_hex(8), code], salt=START_SALT)


class TokenStatus:
    """What the start token of a submission says (stored on the response)."""

    OK = "ok"
    MISSING = "missing"
    INVALID = "invalid"  # forged, unreadable, or made for another access code
    STALE = "stale"  # older than MAX_DURATION
    REUSED = "reused"  # already carried by another submission (set by the service)
    NOT_APPLICABLE = ""  # telephone interviews, rows from before the token


@dataclass(frozen=True)
class StartEvidence:
    status: str
    duration: int | None = None
    nonce: str = ""


def read_start(token: str, *, code: str = "") -> StartEvidence:
    """Check a submitted start token. Never raises: a bad token is evidence, not an error."""
    if not token:
        return StartEvidence(TokenStatus.MISSING)
    try:
        payload = signing.loads(token, salt=START_SALT, max_age=MAX_DURATION)
    except signing.SignatureExpired:
        return StartEvidence(TokenStatus.STALE)
    except (signing.BadSignature, ValueError, TypeError):
        return StartEvidence(TokenStatus.INVALID)
    if isinstance(payload, int):  # a form served before the nonce existed
        started, nonce, token_code = payload, "", code
    elif (
        isinstance(payload, list)
        and len(payload) == 3
        and isinstance(payload[0], int)
        and all(isinstance(p, str) for p in payload[1:])
    ):
        started, nonce, token_code = payload
    else:
        return StartEvidence(TokenStatus.INVALID)
    if code and token_code and token_code != code:
        return StartEvidence(TokenStatus.INVALID)
    return StartEvidence(TokenStatus.OK, max(0, int(time.time()) - started), nonce)


def token_hash(nonce: str, *, cycle_id: int) -> str:
    """The nonce, keyed and salted by the cycle: enough to see a second use, erased at close."""
    return _keyed("token", f"{cycle_id}|{nonce}") if nonce else ""


def duration_from(token: str) -> int | None:
    """Seconds since the form was served, or None if the token is missing, forged or stale."""
    return read_start(token).duration
