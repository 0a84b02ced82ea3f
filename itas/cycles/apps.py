from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CyclesConfig(AppConfig):
    name = "itas.cycles"
    verbose_name = _("Assessment cycles")

    def ready(self) -> None:
        from django.urls import reverse
        from django.utils.translation import gettext as gettext

        from itas.core.registry import (
            MenuItem,
            register_contact,
            register_home_panel,
            register_menu,
        )
        from itas.cycles.views import documents

        register_home_panel(documents.documents_panel)
        register_contact(documents.contact_footer)

        @register_menu
        def menu(request):
            if not request.user.is_authenticated:
                return []
            return [MenuItem(gettext("Cycles and calendar"), reverse("cycles:list"), 20)]
