from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "itas.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from itas.core.registry import register_menu

        register_menu(_system_menu)


def _system_menu(request):
    from django.urls import reverse
    from django.utils.translation import gettext

    from itas.core.registry import MenuItem

    if request.user.has_perm("core.view_audit"):
        return [MenuItem(gettext("System status"), reverse("core:system_status"), 95)]
    return []
