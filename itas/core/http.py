"""Following a `next`/`back` address from a form or a query string without becoming an open
redirect: only a path on this site is followed (Django's own check, as its login view uses)."""

from django.shortcuts import redirect, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def safe_redirect(request, target: str | None, default: str, *args):
    """Redirect to `target` if it stays on this site, else to `default` (a URL name or path)."""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(resolve_url(default, *args))
