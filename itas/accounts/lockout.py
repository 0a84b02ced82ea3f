"""Failed sign-ins, counted where an attacker cannot dodge them and an office cannot be hurt.

django-axes locks an account per (account, client address): the address is the real client's
(itas.core.net.client_ip, the same ITAS_PROXY_COUNT rule as everywhere), so five wrong passwords
typed by one person do not lock the owner out from another address, as they did when every
client shared the proxy's address. Axes compares every lockout key with one limit, and an
address trying many accounts (password spraying) needs its own, higher one: an office behind one
address must not be locked out by a few colleagues' typos. So the per-address count is read here
from the attempts axes already stores, in the same cool-off window.

ITAS_LOGIN_ADDRESS_FAILURE_LIMIT (default 20 in 15 minutes): an agency has a handful of
accounts (admin, executive, a few officers); even a provincial office signing in for every
agency of its province on one address mistypes far fewer than 20 times in a quarter hour, while
a sprayer trying one password on many accounts is stopped after 20.
"""

from __future__ import annotations

import datetime as dt

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

from itas.core.net import client_ip


def address_failures(request) -> int:
    ip = client_ip(request)
    if not ip:
        return 0
    since = timezone.now() - (get_cool_off(request) or dt.timedelta(hours=0.25))
    total = AccessAttempt.objects.filter(ip_address=ip, attempt_time__gte=since).aggregate(
        n=Sum("failures_since_start")
    )["n"]
    return total or 0


def address_locked(request) -> bool:
    if not getattr(settings, "AXES_ENABLED", True):
        return False
    return address_failures(request) >= settings.ITAS_LOGIN_ADDRESS_FAILURE_LIMIT
