from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "itas.followup"
    verbose_name = _("Follow-up of agencies")

    def ready(self) -> None:
        from itas.core.registry import register_home_panel, register_menu
        from itas.followup import panels

        register_menu(panels.menu)
        register_home_panel(panels.contact_panel)
