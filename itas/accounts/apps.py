from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "itas.accounts"
    verbose_name = _("People and roles")

    def ready(self):
        from django.conf import settings
        from django.urls import reverse

        from itas.accounts import sessions  # noqa: F401 - connects the session-length signal
        from itas.accounts.views.appointments import panel
        from itas.core.registry import MenuItem, register_home_panel, register_menu

        register_home_panel(panel)

        @register_menu
        def people_menu(request):
            user = request.user
            items = []
            if user.has_perm("accounts.view_appointments"):
                items.append(
                    MenuItem(_("Appointments"), reverse("accounts:appointments"), order=79)
                )
            if user.has_perm("accounts.manage_roles"):
                items.append(MenuItem(_("People and roles"), reverse("accounts:roles"), order=80))
                if settings.DEMO_MODE and user.has_perm("core.view_outbox"):
                    items.append(MenuItem(_("Outbox"), reverse("core:outbox"), order=95))
            elif getattr(user, "is_authenticated", False):
                for agency_id in sorted(user.agency_ids(roles=("agency_admin",)))[:1]:
                    from itas.agencies.models import Agency

                    agency = Agency.objects.filter(pk=agency_id).only("code").first()
                    if agency:
                        items.append(
                            MenuItem(
                                _("My agency's people"),
                                reverse("accounts:agency_people", args=[agency.code]),
                                order=80,
                            )
                        )
            return items
