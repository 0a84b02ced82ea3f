from django.apps import AppConfig


class ImprovementConfig(AppConfig):
    """From scores to improvement: each agency's path to pass, what a group needs to learn,
    the early warning during a cycle and the road to the national goal. Downstream of scoring
    (it reads cycles, surveys, disclosure and results together); reports, the API and events
    present what it computes."""

    name = "itas.improvement"

    def ready(self) -> None:
        from itas.core.registry import register_menu
        from itas.improvement import panels

        register_menu(panels.menu)
