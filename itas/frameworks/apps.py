from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrameworksConfig(AppConfig):
    name = "itas.frameworks"
    verbose_name = _("Frameworks")

    def ready(self):
        from django.urls import reverse

        from itas.core.registry import MenuItem, register_menu

        @register_menu
        def frameworks_menu(request):
            if not request.user.has_perm("frameworks.view_framework"):
                return []
            return [MenuItem(_("Frameworks"), reverse("frameworks:list"), order=30)]
