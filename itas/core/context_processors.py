from django.conf import settings

from itas.core import links
from itas.core.notifications import unread_count
from itas.core.registry import contact, menu_items


def site(request):
    return {
        "DEMO_MODE": settings.DEMO_MODE,
        "PUBLIC_BASE_URL": links.public_base(request),
        "menu": menu_items(request) if getattr(request, "user", None) else [],
        "unread_notifications": unread_count(getattr(request, "user", None)),
        "help_contact": contact(request) if getattr(request, "user", None) else None,
    }
