from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from itas.accounts import services
from itas.accounts.errors import AccountError
from itas.accounts.forms import AcceptInvitationForm, GrantRoleForm, InviteForm
from itas.accounts.models import Invitation, RoleAssignment, User
from itas.agencies.models import Agency
from itas.core.permissions import login, permission, public
from itas.core.roles import AGENCY_ROLES, Role


def demo_users():
    """Demo accounts listed on the login page, in demo mode only."""
    if not settings.DEMO_MODE:
        return []
    return list(
        User.objects.filter(email__endswith="@demo.itas.local")
        .prefetch_related(
            "role_assignments__agency",
            "role_assignments__province",
            "role_assignments__district",
            "role_assignments__assessor_group",
        )
        .order_by("date_joined", "pk")
    )


@login
def profile(request):
    roles = request.user.role_assignments.filter(is_active=True).select_related(
        "agency", "province", "district", "assessor_group"
    )
    return render(request, "accounts/profile.html", {"roles": roles})


# ------------------------------------------------------------ an agency's people


def _agency(request, code, **kwargs):
    return get_object_or_404(Agency.objects.select_related("province", "district"), code=code)


@permission("accounts.invite_person", obj=_agency)
def agency_people(request, code: str, obj: Agency):
    """The agency's people by role; the agency admin (or NACC) invites and removes them."""
    can_invite_admin = request.user.has_perm("accounts.manage_roles")
    form = InviteForm(request.POST or None, can_invite_admin=can_invite_admin)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                invitation = services.invite(
                    request.user,
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                    function=form.cleaned_data["function"],
                    agency=obj,
                )
            except AccountError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    _("An invitation was sent to %(email)s.") % {"email": invitation.email},
                )
                return redirect("accounts:agency_people", code=obj.code)
        status = 400
    roles = (
        RoleAssignment.objects.filter(agency=obj, is_active=True, role__in=AGENCY_ROLES)
        .select_related("user")
        .order_by("role", "user__full_name")
    )
    invitations = Invitation.objects.filter(
        agency=obj, accepted_at__isnull=True, expires_at__gt=timezone.now()
    )
    return render(
        request,
        "accounts/agency_people.html",
        {
            "agency": obj,
            "form": form,
            "roles": [(r, request.user.has_perm("accounts.revoke_role", r)) for r in roles],
            "invitations": invitations,
        },
        status=status,
    )


# ------------------------------------------------------------ NACC: every role


@permission("accounts.manage_roles")
def roles(request):
    """NACC appoints agency admins, assessors, coordinators... and sees every role."""
    form = GrantRoleForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            user = User.objects.filter(email__iexact=data["email"]).first()
            try:
                if user is not None:
                    services.grant_role(
                        request.user,
                        user=user,
                        role=data["role"],
                        function=data["function"],
                        **form.scope(),
                    )
                    messages.success(
                        request, _("The role was given to %(email)s.") % {"email": user.email}
                    )
                else:
                    services.invite(
                        request.user,
                        email=data["email"],
                        role=data["role"],
                        function=data["function"],
                        **form.scope(),
                    )
                    messages.success(
                        request,
                        _("%(email)s has no account yet: an invitation was sent.")
                        % {"email": data["email"]},
                    )
            except AccountError as exc:
                form.add_error(None, str(exc))
            else:
                return redirect("accounts:roles")
        status = 400
    assignments = RoleAssignment.objects.filter(is_active=True).select_related(
        "user", "agency", "province", "district", "assessor_group"
    )
    role_filter = request.GET.get("role", "")
    if role_filter in Role.values:
        assignments = assignments.filter(role=role_filter)
    q = request.GET.get("q", "").strip()[:100]
    if q:
        assignments = assignments.filter(
            Q(user__email__icontains=q) | Q(user__full_name__icontains=q) | Q(agency__code=q)
        )
    page = Paginator(assignments.order_by("role", "user__email"), 50).get_page(
        request.GET.get("page")
    )
    invitations = Invitation.objects.filter(
        accepted_at__isnull=True, expires_at__gt=timezone.now()
    ).select_related("agency", "province", "district", "assessor_group")[:50]
    return render(
        request,
        "accounts/roles.html",
        {
            "form": form,
            "page": page,
            "role_choices": Role.choices,
            "role_filter": role_filter,
            "q": q,
            "invitations": invitations,
        },
        status=status,
    )


def _assignment(request, role_id, **kwargs):
    return get_object_or_404(RoleAssignment.objects.select_related("user", "agency"), pk=role_id)


@permission("accounts.revoke_role", obj=_assignment)
@require_POST
def revoke_role(request, role_id: int, obj: RoleAssignment):
    try:
        services.revoke_role(request.user, assignment=obj)
    except AccountError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("%(role)s was removed from %(user)s.")
            % {"role": obj.get_role_display(), "user": obj.user},
        )
    return _back(request, obj.agency)


def _invitation(request, invitation_id, **kwargs):
    return get_object_or_404(Invitation.objects.select_related("agency"), pk=invitation_id)


@permission("accounts.cancel_invitation", obj=_invitation)
@require_POST
def cancel_invitation(request, invitation_id: int, obj: Invitation):
    try:
        services.cancel_invitation(request.user, invitation=obj)
    except AccountError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The invitation was cancelled."))
    return _back(request, obj.agency)


def _back(request, agency):
    if agency is not None and request.POST.get("from") == "agency":
        return redirect("accounts:agency_people", code=agency.code)
    if request.user.has_perm("accounts.manage_roles"):
        return redirect("accounts:roles")
    return redirect("accounts:agency_people", code=agency.code)


# ------------------------------------------------------------ accepting an invitation


@public
def accept_invitation(request, token: str):
    """The invitation link: create the account (or sign in) and take the role."""
    invitation = (
        Invitation.objects.select_related("agency", "province", "district", "assessor_group")
        .filter(token=token[:64])
        .first()
    )
    problem = None
    if invitation is None:
        problem = _("This invitation link is not valid.")
    elif invitation.accepted_at is not None:
        problem = _("This invitation link has already been used.")
    elif invitation.expires_at <= timezone.now():
        problem = _("This invitation link has expired. Ask for a new invitation.")
    if problem:
        return render(request, "accounts/invitation_invalid.html", {"problem": problem}, status=404)
    has_account = User.objects.filter(email__iexact=invitation.email).exists()
    form = None
    status = 200
    if has_account:
        if request.method == "POST" and request.user.is_authenticated:
            try:
                services.accept_invitation(token=invitation.token, user=request.user)
            except AccountError as exc:
                messages.error(request, str(exc))
                status = 400
            else:
                messages.success(request, _("Welcome! The role was added to your account."))
                return redirect("accounts:profile")
    else:
        form = AcceptInvitationForm(request.POST or None, email=invitation.email)
        if request.method == "POST":
            if form.is_valid():
                try:
                    user = services.accept_invitation(
                        token=invitation.token,
                        full_name=form.cleaned_data["full_name"],
                        password=form.cleaned_data["password1"],
                    )
                except AccountError as exc:
                    form.add_error(None, str(exc))
                else:
                    auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                    messages.success(request, _("Welcome! Your account is ready."))
                    return redirect("accounts:profile")
            status = 400
    return render(
        request,
        "accounts/accept.html",
        {
            "invitation": invitation,
            "form": form,
            "has_account": has_account,
            "scope_label": services.scope_label(invitation),
            "email_matches": request.user.is_authenticated
            and request.user.email.lower() == invitation.email.lower(),
        },
        status=status,
    )
