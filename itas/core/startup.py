"""Checks a server makes before it serves anything.

The settings alone do not refuse: `itas check --deploy`, migrations and the test suite must run
without production secrets. The processes that face the world (any WSGI server through
itas/wsgi.py, a Celery worker through itas/celery.py) call refuse_insecure_start() instead."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def refuse_insecure_start() -> None:
    if settings.DEBUG or getattr(settings, "DEMO_MODE", False):
        return
    if not getattr(settings, "SECRET_KEY_FROM_ENVIRONMENT", False):
        raise ImproperlyConfigured(
            "ITAS_SECRET_KEY is not set: refusing to start with the public development key "
            "outside demo/debug mode. Set ITAS_SECRET_KEY to a long random value "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
