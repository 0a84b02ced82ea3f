from django import template
from django.utils.translation import gettext as _

from itas.core.thaidate import be_year

register = template.Library()

STATUS_CLASS = {
    "not_started": "text-bg-light border",
    "draft": "text-bg-warning",
    "submitted": "text-bg-primary",
    "reviewed": "text-bg-info",
    "disputed": "text-bg-danger",
    "clarified": "text-bg-info",
    "confirmed": "text-bg-success",
}
STAGE_CLASS = {
    "not_started": "text-bg-light border",
    "draft": "text-bg-warning",
    "submitted": "text-bg-primary",
    "in_review": "text-bg-info",
    "reviewed": "text-bg-success",
    "disputed": "text-bg-danger",
    "confirmed": "text-bg-dark",
}


@register.filter
def status_class(status: str) -> str:
    return STATUS_CLASS.get(status, "text-bg-secondary")


@register.filter
def stage_class(stage: str) -> str:
    return STAGE_CLASS.get(stage, "text-bg-secondary")


@register.filter
def check_icon(summary: str) -> str:
    return {"ok": "✓", "warn": "!", "bad": "✗", "pending": "…", "none": "–"}.get(summary, "–")


@register.filter
def check_title(summary: str) -> str:
    return {
        "ok": _("Links reachable, on the agency's site, fiscal year found"),
        "warn": _("Reachable, but check the site or the year"),
        "bad": _("A link is not reachable"),
        "pending": _("Being checked"),
        "none": _("Not checked"),
    }.get(summary, "")


@register.filter
def check_short(summary: str) -> str:
    return {
        "ok": _("Links OK"),
        "warn": _("Check the site or year"),
        "bad": _("Broken link"),
        "pending": _("Being checked"),
        "none": _("Not checked"),
    }.get(summary, "")


@register.filter
def filesize(n) -> str:
    if n is None:
        return "–"
    n = int(n)
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n / 1024 / 1024:.1f} MB"


@register.filter
def be_date(iso: str) -> str:
    """2022-03-15 → 15/03/2565."""
    try:
        y, m, d = iso.split("-")
        return f"{int(d)}/{int(m)}/{be_year(int(y))}"
    except (ValueError, AttributeError):
        return iso


@register.filter
def get(mapping, key):
    return (mapping or {}).get(key)
