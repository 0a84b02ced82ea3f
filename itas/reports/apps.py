from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "itas.reports"

    def ready(self) -> None:
        from itas.core.registry import register_cycle_action, register_home_panel, register_menu
        from itas.reports import exports, panels  # noqa: F401 - exports register on import

        register_menu(panels.menu)
        register_home_panel(panels.home_panel)
        register_cycle_action(panels.compute_action)
        register_cycle_action(panels.practice_action)
        register_home_panel(panels.practice_panel)
