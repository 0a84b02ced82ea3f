from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CyclesConfig(AppConfig):
    name = "itas.cycles"
    verbose_name = _("Assessment cycles")

    def ready(self) -> None:
        from django.urls import reverse
        from django.utils.translation import gettext as gettext

        from itas.core.registry import MenuItem, register_menu

        @register_menu
        def menu(request):
            if not request.user.is_authenticated:
                return []
            return [MenuItem(gettext("Cycles and calendar"), reverse("cycles:list"), 20)]
