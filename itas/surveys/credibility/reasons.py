"""The reasons in plain Thai, from the stored codes and figures (so a new translation or a
better sentence applies to past analyses too)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from itas.core.thaidate import format_date


def _hour(iso: str) -> str:
    moment = timezone.localtime(dt.datetime.fromisoformat(iso))
    return _("between %(start)02d:00 and %(end)02d:00 on %(day)s") % {
        "start": moment.hour,
        "end": (moment.hour + 1) % 24,
        "day": format_date(moment, "short"),
    }


def sentence(code: str, p: dict) -> str:
    if code == "bad_token":
        return (
            _(
                "%(count)s answers (%(share)s %%) came without a valid start token: the form was "
                "not opened before sending, or one form was sent many times"
            )
            % p
        )
    if code == "device_repeat":
        return (
            _("%(count)s answers came from %(devices)s devices that answered again and again") % p
        )
    if code == "network_burst":
        return _("%(count)s answers came in bursts from one network address") % p
    if code == "busy_hour":
        return _("%(share)s %% of the answers (%(count)s) arrived %(when)s") % {
            **p,
            "when": _hour(p["hour"]),
        }
    if code == "busy_day":
        return _("%(share)s %% of the answers (%(count)s) arrived on %(day)s") % {
            **p,
            "day": format_date(dt.date.fromisoformat(p["day"]), "short"),
        }
    if code == "identical":
        return _("%(count)s identical answer sheets (%(sheets)s sheets repeated)") % p
    if code == "near_identical":
        return (
            _(
                "%(count)s answer sheets (%(share)s %%) are nearly identical, in %(groups)s groups "
                "(at most %(differ)s of %(items)s answers differ); the agency's other answers "
                "would make about %(expected)s such sheets"
            )
            % p
        )
    if code == "all_best":
        return (
            _(
                "%(count)s answer sheets (%(share)s %%) give the best answer on every item, reversed "
                "items included (about %(expected)s %% is usual)"
            )
            % p
        )
    if code == "peers":
        return (
            _(
                "The answers average %(mean)s, far above similar agencies in the province (%(peers)s)"
            )
            % p
        )
    if code == "past":
        return _("The answers average %(mean)s against %(past)s in the previous cycle") % p
    if code == "uniform":
        return (
            _(
                "The answers are too alike for %(n)s respondents (spread %(sd)s, usually %(typical)s)"
            )
            % p
        )
    return code


def describe(reasons: list[dict], *, flagged_only: bool = False) -> list[dict]:
    out = []
    for r in reasons:
        if flagged_only and not r.get("flagged"):
            continue
        lift = r.get("params", {}).get("lift")
        out.append(
            {
                **r,
                "text": sentence(r["code"], r.get("params", {})),
                "lift": lift,
            }
        )
    return out
