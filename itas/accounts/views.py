from django.conf import settings
from django.shortcuts import render

from itas.core.permissions import login


def demo_users():
    """Demo accounts listed on the login page, in demo mode only."""
    if not settings.DEMO_MODE:
        return []
    from itas.accounts.models import User

    return list(
        User.objects.filter(email__endswith="@demo.itas.local")
        .prefetch_related("role_assignments__agency", "role_assignments__province")
        .order_by("date_joined")
    )


@login
def profile(request):
    roles = request.user.role_assignments.filter(is_active=True).select_related(
        "agency", "province", "district", "assessor_group"
    )
    return render(request, "accounts/profile.html", {"roles": roles})
