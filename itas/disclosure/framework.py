"""The OIT items of a cycle's framework (the frameworks app owns the document and its parser)."""

from __future__ import annotations

from itas.cycles.models import Cycle


def oit_items(cycle: Cycle) -> list:
    """OITItemSpec values (code, indicator, subindicator, title, criteria), in framework order."""
    cache = getattr(cycle, "_oit_items_cache", None)
    if cache is None:
        cache = list(cycle.framework.spec.oit_items)
        cycle._oit_items_cache = cache
    return cache


def oit_item(cycle: Cycle, code: str):
    return next((s for s in oit_items(cycle) if s.code == code), None)
