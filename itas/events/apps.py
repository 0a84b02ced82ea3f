from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "itas.events"
