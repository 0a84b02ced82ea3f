"""The early warning's reasons as people read them (the table stores codes and numbers)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

TEXTS = {
    "survey_low": _("IIT/EIT answers so far average %(score)s"),
    "oit_missing": _("%(count)s OIT items not submitted yet"),
    "oit_returned": _("%(count)s OIT items reviewed as not met"),
    "oit_pending": _("%(count)s OIT items waiting for review"),
    "last_year": _("last year's total was %(total)s"),
    "peers_moved": _(
        "last year's total was %(total)s; of %(n)s agencies like it (%(scope)s) that passed, "
        "%(share)s %% then failed (median change %(change)s points)"
    ),
    "peers_change": _(
        "last year's total was %(total)s; %(n)s agencies like it (%(scope)s) moved by a median "
        "of %(change)s points"
    ),
    "peers_stayed": _(
        "last year's total was %(total)s; of %(n)s agencies like it (%(scope)s) that failed, "
        "%(share)s %% failed again (median change %(change)s points)"
    ),
    "no_population": _("IIT population not entered (no minimum sample)"),
    "sample_short": _(
        "%(tool)s: %(n)s respondents, about %(projected)s by the deadline at this pace "
        "(minimum %(minimum)s)"
    ),
}


# Which agencies the peers are (risk.peer_moves).
SCOPES = {
    "province": _("same type, same province"),
    "national": _("same type nationwide"),
}


def readable(reasons) -> list[str]:
    out = []
    for code, params in reasons or []:
        text = TEXTS.get(code)
        if text is not None:
            if isinstance(params, dict) and params.get("scope") in SCOPES:
                params = {**params, "scope": str(SCOPES[params["scope"]])}
            try:
                out.append(str(text) % params)
            except (KeyError, TypeError, ValueError):
                out.append(str(text))
    return out
