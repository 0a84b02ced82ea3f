"""How long a sign-in lasts: a working day for everyone (ITAS_SESSION_HOURS, default 8), less for
staff who can change anything nationwide (ITAS_STAFF_SESSION_HOURS, default 2: NACC
administrators and Django staff), whose forgotten open browser is worth the most to anyone
passing by. Django's two-week default kept every session open far past any working day."""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from itas.core.roles import Role


def is_staff(user) -> bool:
    return bool(user.is_staff or user.is_superuser or user.has_role(Role.NACC_ADMIN))


@receiver(user_logged_in, dispatch_uid="accounts.session_length")
def set_session_length(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    if is_staff(user):
        request.session.set_expiry(settings.ITAS_STAFF_SESSION_HOURS * 3600)
