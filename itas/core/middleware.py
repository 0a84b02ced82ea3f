"""Project middleware: Thai first, domain errors as pages, the cached CSP headers."""

from __future__ import annotations

import functools

from csp import middleware as csp_middleware
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver


class ThaiFirstMiddleware:
    """Thai unless the person chose otherwise with the language switch (a cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, so most phones and
    office PCs set to English would get English; for a Thai-first system the browser's wish
    is not enough, the switch is. Placed before LocaleMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class DomainErrorMiddleware:
    """A domain error a view lets through becomes the error page with its Thai message and
    status (400 unless the error says otherwise): one renderer for every refusal."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from itas.core.errors import DomainError
        from itas.core.views.errors import error_page

        if isinstance(exception, DomainError):
            return error_page(request, exception.status, str(exception), exception.title)
        return None


class CSPMiddleware(csp_middleware.CSPMiddleware):
    """django-csp's middleware with the site's two policy headers built once per process.

    django-csp 4.0 rebuilds both headers from the settings on every response (a dataclass
    copied to a dict, every directive copied and joined), which cost a tenth of a respondent's
    submission. A response that brings its own policy (the e-mail preview's `_csp_config`, a
    `csp_update`/`csp_replace` decorator) or a request that used a nonce goes through
    django-csp unchanged; the cache is dropped when a test overrides the settings."""

    def process_response(self, request, response):
        if getattr(request, "_csp_nonce", None) is not None or any(
            getattr(response, name, None) is not None for name in _OWN_POLICY
        ):
            return super().process_response(request, response)
        if response.status_code in (500, 404) and settings.DEBUG:
            return response
        for header, exempt, setting, policy in _site_policies():
            if (
                policy
                and header not in response
                and not getattr(response, exempt, False)
                and not request.path_info.startswith(
                    tuple(
                        (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
                    )
                )
            ):
                response[header] = policy
        request.csp_nonce = csp_middleware.CheckableLazyObject(self._csp_nonce_post_response)
        return response


_OWN_POLICY = tuple(
    f"_csp_{part}{suffix}" for part in ("config", "update", "replace") for suffix in ("", "_ro")
)


@functools.cache
def _site_policies() -> tuple[tuple[str, str, str, str], ...]:
    return (
        (HEADER, "_csp_exempt", "CONTENT_SECURITY_POLICY", build_policy()),
        (
            HEADER_REPORT_ONLY,
            "_csp_exempt_ro",
            "CONTENT_SECURITY_POLICY_REPORT_ONLY",
            build_policy(report_only=True),
        ),
    )


@receiver(setting_changed)
def _forget_site_policies(setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _site_policies.cache_clear()
