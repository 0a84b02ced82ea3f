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


@dataclass
class Action:
    """A button another app offers on a page it does not own (the page names no other app)."""

    label: str
    url: str
    element_id: str = ""


_home_panel_providers: list[Callable] = []
_menu_providers: list[Callable] = []
_result_list_action_providers: list[Callable] = []
_contact_providers: list[Callable] = []
_cycle_action_providers: list[Callable] = []


def register_home_panel(provider: Callable) -> Callable:
    """provider(request) -> dict(title, template, context, order) or None."""
    _home_panel_providers.append(provider)
    return provider


def register_menu(provider: Callable) -> Callable:
    """provider(request) -> list[MenuItem]."""
    _menu_providers.append(provider)
    return provider


def register_contact(provider: Callable) -> Callable:
    """provider(request) -> an object with name, phone, email, hours (or None): whom to ask,
    shown in the footer of every page."""
    _contact_providers.append(provider)
    return provider


def contact(request):
    return next((c for provider in _contact_providers if (c := provider(request))), None)


def register_result_list_action(provider: Callable) -> Callable:
    """provider(request, *, result_set, params) -> Action or None: offered above a list of
    agencies' results (params: the list's filter as query parameters)."""
    _result_list_action_providers.append(provider)
    return provider


def register_cycle_action(provider: Callable) -> Callable:
    """provider(request, *, cycle) -> Action or None: offered on the cycle's page (e.g. the
    scores' computation and publication, which live downstream of cycles)."""
    _cycle_action_providers.append(provider)
    return provider


def cycle_actions(request, **context) -> list[Action]:
    return [a for provider in _cycle_action_providers if (a := provider(request, **context))]


def result_list_actions(request, **context) -> list[Action]:
    return [a for provider in _result_list_action_providers if (a := provider(request, **context))]


def home_panels(request) -> list[dict]:
    panels = [p for provider in _home_panel_providers if (p := provider(request))]
    return sorted(panels, key=lambda p: p.get("order", 100))


def menu_items(request) -> list[MenuItem]:
    items = [item for provider in _menu_providers for item in (provider(request) or [])]
    return sorted(items, key=lambda i: i.order)
