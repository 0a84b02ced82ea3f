from django.conf import settings

from itas.core.registry import menu_items


def site(request):
    return {
        "DEMO_MODE": settings.DEMO_MODE,
        "PUBLIC_BASE_URL": settings.PUBLIC_BASE_URL,
        "menu": menu_items(request) if getattr(request, "user", None) else [],
    }
