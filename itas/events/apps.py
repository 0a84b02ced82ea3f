from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "itas.events"
    verbose_name = _("Events")

    def ready(self) -> None:
        from itas.core.registry import (
            register_home_panel,
            register_menu,
            register_result_list_action,
        )
        from itas.core.unavailable import register_respondent_path
        from itas.events import panels

        # The registration page behind the letters' link and QR code.
        register_respondent_path("/events/r/")
        register_home_panel(panels.notices_panel)
        register_home_panel(panels.sites_panel)
        register_home_panel(panels.organiser_panel)
        register_menu(panels.menu)
        register_result_list_action(panels.target_group_action)
