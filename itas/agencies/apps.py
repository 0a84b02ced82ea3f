from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgenciesConfig(AppConfig):
    name = "itas.agencies"
    verbose_name = _("Agencies")

    def ready(self):
        from django.urls import reverse

        from itas.core.registry import MenuItem, register_menu

        @register_menu
        def agencies_menu(request):
            return [MenuItem(_("Agencies"), reverse("agencies:list"), order=20)]
