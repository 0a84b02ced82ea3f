from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    name = "itas.disclosure"
    verbose_name = _("OIT disclosure")

    def ready(self) -> None:
        from itas.core.registry import register_home_panel, register_menu

        from . import panels

        register_home_panel(panels.home_panel)
        register_home_panel(panels.practice_panel)
        register_menu(panels.menu)
