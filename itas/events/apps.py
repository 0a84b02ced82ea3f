from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "itas.events"
    verbose_name = _("Events")

    def ready(self) -> None:
        from itas.core.registry import register_home_panel, register_menu
        from itas.events import panels

        register_home_panel(panels.notices_panel)
        register_home_panel(panels.organiser_panel)
        register_menu(panels.menu)
