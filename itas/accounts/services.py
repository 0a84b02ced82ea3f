"""Verbs on people and roles: appoint, revoke, invite, accept. Checked, atomic, audited."""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from itas.accounts.errors import AccountError
from itas.accounts.models import Invitation, RoleAssignment, User
from itas.core import audit, links
from itas.core.permissions import require_perm
from itas.core.roles import SCOPE_OF_ROLE, Role, Scope
from itas.core.tasks import send_mail

SCOPE_FIELD = {
    Scope.ASSESSOR_GROUP: "assessor_group",
    Scope.PROVINCE: "province",
    Scope.DISTRICT: "district",
    Scope.AGENCY: "agency",
}
# What an agency admin may hand out in its own agency (NACC appoints the admins).
AGENCY_ADMIN_GRANTS = (Role.AGENCY_EXECUTIVE, Role.AGENCY_OFFICER)


def _scope_of(role: str, function: str, targets: dict) -> dict:
    """The scope fields for a role: exactly its own kind of target, nothing else."""
    try:
        role = Role(role)
    except ValueError as exc:
        raise AccountError(_("Unknown role.")) from exc
    scope = SCOPE_OF_ROLE[role]
    field = SCOPE_FIELD.get(scope)
    result = {name: None for name in SCOPE_FIELD.values()}
    if field is not None:
        if targets.get(field) is None:
            raise AccountError(
                _("The role %(role)s needs a %(scope)s.")
                % {"role": role.label, "scope": Scope(scope).label}
            )
        result[field] = targets[field]
    if role == Role.AGENCY_OFFICER and not function:
        raise AccountError(_("Choose the officer's function."))
    result["function"] = function if role == Role.AGENCY_OFFICER else ""
    return result


def _check_may_grant(actor, role: str, scope: dict) -> None:
    """NACC gives any role (accounts.manage_roles); an agency's admin gives the agency roles it
    may hand out in its own agency (accounts.invite_person on the agency)."""
    agency = scope.get("agency")
    if actor is not None and role in AGENCY_ADMIN_GRANTS and agency is not None:
        if actor.has_perm("accounts.manage_roles"):
            return
        perm, obj = "accounts.invite_person", agency
    else:
        perm, obj = "accounts.manage_roles", None
    require_perm(actor, perm, obj, error=AccountError, message=_("You may not give this role."))


def grant_role(actor, *, user: User, role: str, function: str = "", **targets) -> RoleAssignment:
    """Give `user` a role in a scope (NACC: any role; an agency admin: its own people)."""
    scope = _scope_of(role, function, targets)
    _check_may_grant(actor, role, scope)
    with transaction.atomic():
        assignment, created = RoleAssignment.objects.select_for_update().get_or_create(
            user=user, role=role, **scope, defaults={"is_active": True}
        )
        if not created and assignment.is_active:
            raise AccountError(
                _("%(user)s already has this role.") % {"user": user.full_name or user.email}
            )
        if not created:
            assignment.is_active = True
            assignment.save(update_fields=["is_active"])
        audit.record(
            actor,
            "accounts.role.granted",
            assignment,
            changes={"user": [None, user.email], "role": [None, role]},
        )
    if hasattr(user, "_roles_cache"):
        del user._roles_cache
    return assignment


def revoke_role(actor, *, assignment: RoleAssignment) -> RoleAssignment:
    require_perm(
        actor,
        "accounts.revoke_role",
        assignment,
        error=AccountError,
        message=_("You may not remove this role."),
    )
    with transaction.atomic():
        assignment = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
        if not assignment.is_active:
            raise AccountError(_("This role was already removed."))
        assignment.is_active = False
        assignment.save(update_fields=["is_active"])
        audit.record(
            actor,
            "accounts.role.revoked",
            assignment,
            changes={"is_active": [True, False]},
            note=assignment.user.email,
        )
    return assignment


def invitation_url(invitation: Invitation) -> str:
    return links.public_base() + reverse("accounts:accept", kwargs={"token": invitation.token})


def invite(actor, *, email: str, role: str, function: str = "", **targets) -> Invitation:
    """Invite a person by e-mail to a role in a scope; the link is single-use and expires."""
    email = (email or "").strip().lower()
    if not email:
        raise AccountError(_("Enter an e-mail address."))
    scope = _scope_of(role, function, targets)
    _check_may_grant(actor, role, scope)
    existing_user = User.objects.filter(email__iexact=email).first()
    if (
        existing_user is not None
        and RoleAssignment.objects.filter(
            user=existing_user, role=role, is_active=True, **scope
        ).exists()
    ):
        raise AccountError(_("%(email)s already has this role.") % {"email": email})
    with transaction.atomic():
        if (
            Invitation.objects.select_for_update()
            .filter(
                email__iexact=email,
                role=role,
                accepted_at__isnull=True,
                expires_at__gt=timezone.now(),
                **scope,
            )
            .exists()
        ):
            raise AccountError(
                _("%(email)s has already been invited to this role; the link is still valid.")
                % {"email": email}
            )
        invitation = Invitation.objects.create(email=email, role=role, invited_by=actor, **scope)
        audit.record(
            actor,
            "accounts.invitation.sent",
            invitation,
            changes={"email": [None, email], "role": [None, role]},
        )
        context = {
            "invitation": invitation,
            "url": invitation_url(invitation),
            "inviter": actor,
            "scope_label": scope_label(invitation),
            "has_account": existing_user is not None,
        }
        transaction.on_commit(lambda: _send_invitation(invitation, context))
    return invitation


def scope_label(invitation: Invitation) -> str:
    target = invitation.agency or invitation.assessor_group or invitation.province
    target = target or invitation.district
    return str(target) if target else _("National")


def _send_invitation(invitation: Invitation, context: dict) -> None:
    send_mail.delay(
        subject=_("ITAS: you are invited as %(role)s") % {"role": invitation.get_role_display()},
        body=render_to_string("accounts/email/invitation.txt", context),
        html=render_to_string("accounts/email/invitation.html", context),
        to=[invitation.email],
    )


def cancel_invitation(actor, *, invitation: Invitation) -> Invitation:
    require_perm(
        actor,
        "accounts.cancel_invitation",
        invitation,
        error=AccountError,
        message=_("You may not cancel this invitation."),
    )
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is not None:
            raise AccountError(_("This invitation was already accepted."))
        invitation.expires_at = timezone.now()
        invitation.save(update_fields=["expires_at"])
        audit.record(actor, "accounts.invitation.cancelled", invitation)
    return invitation


def accept_invitation(
    *, token: str, user: User | None = None, full_name: str = "", password: str = ""
) -> User:
    """Accept an invitation: attach the role to `user`, or create the account first."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().filter(token=token).first()
        if invitation is None:
            raise AccountError(_("This invitation link is not valid."))
        if invitation.accepted_at is not None:
            raise AccountError(_("This invitation link has already been used."))
        if invitation.expires_at <= timezone.now():
            raise AccountError(_("This invitation link has expired. Ask for a new invitation."))
        if user is None:
            if User.objects.filter(email__iexact=invitation.email).exists():
                raise AccountError(
                    _("An account with this e-mail exists already: sign in to accept.")
                )
            full_name = (full_name or "").strip()
            if not full_name:
                raise AccountError(_("Enter your full name."))
            candidate = User(email=invitation.email, full_name=full_name)
            try:
                password_validation.validate_password(password, candidate)
            except ValidationError as exc:
                raise AccountError(" ".join(exc.messages)) from exc
            user = User.objects.create_user(
                email=invitation.email, password=password, full_name=full_name
            )
            audit.record(user, "accounts.user.created", user, note=f"invitation {invitation.pk}")
        elif user.email.lower() != invitation.email.lower():
            raise AccountError(
                _("This invitation is for %(email)s; sign in with that account to accept it.")
                % {"email": invitation.email}
            )
        scope = {name: getattr(invitation, name) for name in SCOPE_FIELD.values()}
        assignment, created = RoleAssignment.objects.get_or_create(
            user=user,
            role=invitation.role,
            function=invitation.function,
            **scope,
            defaults={"is_active": True},
        )
        if not created and not assignment.is_active:
            assignment.is_active = True
            assignment.save(update_fields=["is_active"])
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        audit.record(
            user,
            "accounts.invitation.accepted",
            invitation,
            changes={"role": [None, invitation.role]},
        )
    if hasattr(user, "_roles_cache"):
        del user._roles_cache
    return user
