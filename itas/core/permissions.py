"""Every view declares who may open it: @public, @login, or @permission("app.verb", obj=...).

The decorators leave `itas_access` on the view so that a test can walk every URL pattern and
prove that none is left undeclared (deny by default). The rules themselves are `rules`
predicates registered in each app's rules.py.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from itas.core.errors import DomainError

ACCESS_ATTR = "itas_access"


def public(view: Callable) -> Callable:
    setattr(view, ACCESS_ATTR, "public")
    return view


def login(view: Callable) -> Callable:
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    setattr(wrapped, ACCESS_ATTR, "login")
    return wrapped


def permission(perm: str, obj: Callable | None = None) -> Callable[[Callable], Callable]:
    """Refuse unless the user has `perm` (on the object `obj(request, **kwargs)` returns).

    When `obj` is given, the view receives the object as the keyword argument `obj`, so it is
    fetched once.
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            target = obj(request, **kwargs) if obj is not None else None
            if not request.user.has_perm(perm, target):
                raise PermissionDenied
            if obj is not None:
                kwargs["obj"] = target
            return view(request, *args, **kwargs)

        setattr(wrapped, ACCESS_ATTR, perm)
        return wrapped

    return decorator


def require_perm(
    actor,
    perm: str,
    obj=None,
    *,
    error: type[DomainError] = DomainError,
    message: str = "",
    status: int = 403,
) -> None:
    """A service's own check (docs/development.md, the services contract): the same named
    permission the view declares, so the verb is equally safe from a view, a task or another
    app. `actor=None` is the system (a daily job, the demo loader) and passes."""
    if actor is not None and not actor.has_perm(perm, obj):
        raise error(message or _("You do not have permission to do this."), status=status)
