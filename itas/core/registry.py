"""Apps downstream of core contribute panels to the home page and items to the menu without
core importing them: each registers a callable at start-up (in its AppConfig.ready)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class MenuItem:
    label: str
    url: str
    order: int = 100


_home_panel_providers: list[Callable] = []
_menu_providers: list[Callable] = []


def register_home_panel(provider: Callable) -> Callable:
    """provider(request) -> dict(title, template, context, order) or None."""
    _home_panel_providers.append(provider)
    return provider


def register_menu(provider: Callable) -> Callable:
    """provider(request) -> list[MenuItem]."""
    _menu_providers.append(provider)
    return provider


def home_panels(request) -> list[dict]:
    panels = [p for provider in _home_panel_providers if (p := provider(request))]
    return sorted(panels, key=lambda p: p.get("order", 100))


def menu_items(request) -> list[MenuItem]:
    items = [item for provider in _menu_providers for item in (provider(request) or [])]
    return sorted(items, key=lambda i: i.order)
