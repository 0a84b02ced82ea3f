import secrets
from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from itas.agencies.models import Agency
from itas.core.roles import AGENCY_ROLES, SCOPE_OF_ROLE, Function, Role, Scope
from itas.geo.models import AssessorGroup, District, Province


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with an e-mail address. Respondents never have one."""

    email = models.EmailField(_("e-mail"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    phone = models.CharField(_("telephone"), max_length=50, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []  # noqa: RUF012 - Django reads it as a class attribute

    class Meta:
        ordering = ["email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email

    def cached_roles(self) -> list["RoleAssignment"]:
        """The user's active roles, read once per request (permission checks call this often)."""
        if not hasattr(self, "_roles_cache"):
            self._roles_cache = list(self.role_assignments.filter(is_active=True))
        return self._roles_cache

    def has_role(self, role: str) -> bool:
        return any(r.role == role for r in self.cached_roles())

    def agency_ids(self, roles=AGENCY_ROLES) -> set[int]:
        return {r.agency_id for r in self.cached_roles() if r.role in roles and r.agency_id}


class RoleAssignment(models.Model):
    """A role held in a scope: NACC (national), an assessor group, a province, a district or an agency."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    assessor_group = models.ForeignKey(
        AssessorGroup, null=True, blank=True, on_delete=models.CASCADE, related_name="roles"
    )
    province = models.ForeignKey(
        Province, null=True, blank=True, on_delete=models.CASCADE, related_name="roles"
    )
    district = models.ForeignKey(
        District, null=True, blank=True, on_delete=models.CASCADE, related_name="roles"
    )
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.CASCADE, related_name="roles"
    )
    function = models.CharField(_("function"), max_length=20, choices=Function.choices, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["role"]
        constraints = [
            # A role without a scope does not exist (see core.roles.SCOPE_OF_ROLE).
            models.CheckConstraint(
                name="role_has_its_scope",
                condition=(
                    models.Q(
                        role=Role.NACC_ADMIN,
                        agency__isnull=True,
                        province__isnull=True,
                        district__isnull=True,
                        assessor_group__isnull=True,
                    )
                    | models.Q(
                        role__in=[Role.ASSESSOR, Role.INTERVIEWER],
                        assessor_group__isnull=False,
                        agency__isnull=True,
                    )
                    | models.Q(
                        role=Role.PROVINCE_COORDINATOR, province__isnull=False, agency__isnull=True
                    )
                    | models.Q(
                        role=Role.DISTRICT_OFFICER, district__isnull=False, agency__isnull=True
                    )
                    | models.Q(role__in=list(AGENCY_ROLES), agency__isnull=False)
                ),
            ),
        ]
        verbose_name = _("role")
        verbose_name_plural = _("roles")

    def __str__(self) -> str:
        return f"{self.get_role_display()} · {self.scope_label}"

    @property
    def scope(self) -> str:
        return SCOPE_OF_ROLE[Role(self.role)]

    @property
    def scope_label(self) -> str:
        if self.scope == Scope.NATIONAL:
            return str(_("National"))
        target = self.assessor_group or self.province or self.district or self.agency
        return str(target)


def _invitation_token() -> str:
    return secrets.token_urlsafe(32)


def _invitation_expiry():
    return timezone.now() + timedelta(days=7)


class Invitation(models.Model):
    """A single-use, expiring link that lets a person join an agency (or a national role)."""

    email = models.EmailField(_("e-mail"))
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    function = models.CharField(_("function"), max_length=20, choices=Function.choices, blank=True)
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.CASCADE)
    assessor_group = models.ForeignKey(
        AssessorGroup, null=True, blank=True, on_delete=models.CASCADE
    )
    province = models.ForeignKey(Province, null=True, blank=True, on_delete=models.CASCADE)
    district = models.ForeignKey(District, null=True, blank=True, on_delete=models.CASCADE)
    token = models.CharField(max_length=64, unique=True, default=_invitation_token)
    invited_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=_invitation_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} ({self.get_role_display()})"

    @property
    def is_usable(self) -> bool:
        return self.accepted_at is None and self.expires_at > timezone.now()


# Appointments with a deadline have their own module; imported so Django sees the models.
from itas.accounts.models_appointments import (  # noqa: E402, F401
    AppointmentDeadline,
    AppointmentReminder,
)
