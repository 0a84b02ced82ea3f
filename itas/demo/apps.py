from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Stands at the end of the flow: it may import every app to build demo data."""

    name = "itas.demo"
