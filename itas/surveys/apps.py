from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "itas.surveys"
    verbose_name = _("IIT/EIT surveys")

    def ready(self) -> None:
        from itas.core.registry import register_home_panel, register_menu
        from itas.core.unavailable import register_respondent_path
        from itas.surveys import panels, services  # noqa: F401 - connects cycle_closed

        register_respondent_path("/go/")
        register_home_panel(panels.home_panel)
        register_menu(panels.menu)
