from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from itas.accounts.lockout import address_locked
from itas.accounts.models import User
from itas.agencies.forms import BootstrapFormMixin
from itas.agencies.models import Agency
from itas.core import links
from itas.core.roles import Function, Role
from itas.core.tasks import send_mail
from itas.geo.models import AssessorGroup, District, Province


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        "invalid_login": _("The e-mail or password is not correct. Both are case-sensitive."),
        "inactive": _("This account is inactive."),
        "address_locked": _(
            "Too many failed sign-ins from your network. Wait 15 minutes and try again, "
            "or reset your password."
        ),
    }

    def clean(self):
        # Before any password is checked: a sprayer learns nothing more from this address.
        if self.request is not None and address_locked(self.request):
            raise ValidationError(self.error_messages["address_locked"], code="address_locked")
        return super().clean()


class ResetRequestForm(BootstrapFormMixin, PasswordResetForm):
    """Django's reset form; the e-mail goes out like every other (Celery, the outbox in demo)."""

    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        error_messages={"invalid": _("Enter a valid e-mail address.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        # The rule for absolute links: the configured public address; the request's host only
        # when none is configured, and then only one ALLOWED_HOSTS accepts.
        context = {**context, "base_url": links.public_base()}
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        send_mail.delay(
            subject=subject, body=render_to_string(email_template_name, context), to=[to_email]
        )


class ThaiPasswordFieldsMixin:
    """Django's set/change-password forms, with their English-only texts in our words."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.error_messages = {
            **self.error_messages,
            "password_mismatch": _("The two passwords are not the same."),
        }
        for name in ("new_password1", "password1"):
            if name in self.fields:
                self.fields[
                    name
                ].help_text = password_validation.password_validators_help_text_html()
        for name in ("new_password2", "password2"):
            if name in self.fields:
                self.fields[name].help_text = _("Type the same password again, to be sure.")


class NewPasswordForm(ThaiPasswordFieldsMixin, BootstrapFormMixin, SetPasswordForm):
    pass


class ChangePasswordForm(ThaiPasswordFieldsMixin, BootstrapFormMixin, PasswordChangeForm):
    pass


FUNCTION_CHOICES = [("", _("— function (for officers) —")), *Function.choices]


class InviteForm(BootstrapFormMixin, forms.Form):
    """An agency admin (or NACC) invites a person of the agency by e-mail."""

    email = forms.EmailField(
        label=_("E-mail"), error_messages={"invalid": _("Enter a valid e-mail address.")}
    )
    role = forms.ChoiceField(label=_("Role"))
    function = forms.ChoiceField(label=_("Function"), choices=FUNCTION_CHOICES, required=False)

    def __init__(self, *args, can_invite_admin: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        roles = [Role.AGENCY_EXECUTIVE, Role.AGENCY_OFFICER]
        if can_invite_admin:
            roles.insert(0, Role.AGENCY_ADMIN)
        self.fields["role"].choices = [(r.value, r.label) for r in roles]
        self.fields["role"].initial = Role.AGENCY_OFFICER

    def clean(self):
        data = super().clean()
        if data.get("role") == Role.AGENCY_OFFICER and not data.get("function"):
            self.add_error("function", _("Choose the officer's function."))
        return data


class GrantRoleForm(BootstrapFormMixin, forms.Form):
    """NACC appoints anyone to any role: the scope field that matches the role is required."""

    email = forms.EmailField(
        label=_("E-mail"),
        help_text=_("A person without an account receives an invitation by e-mail."),
        error_messages={"invalid": _("Enter a valid e-mail address.")},
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    function = forms.ChoiceField(label=_("Function"), choices=FUNCTION_CHOICES, required=False)
    assessor_group = forms.ModelChoiceField(
        label=_("Assessor group"), queryset=AssessorGroup.objects.all(), required=False
    )
    province = forms.ModelChoiceField(
        label=_("Province"), queryset=Province.objects.all(), required=False
    )
    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=District.objects.select_related("province").order_by(
            "province__name_th", "name_th"
        ),
        required=False,
    )
    agency_code = forms.CharField(
        label=_("Agency code"), required=False, max_length=10, help_text=_("e.g. 5380190")
    )

    SCOPE_FIELD = {
        Role.ASSESSOR: "assessor_group",
        Role.INTERVIEWER: "assessor_group",
        Role.PROVINCE_COORDINATOR: "province",
        Role.DISTRICT_OFFICER: "district",
        Role.AGENCY_ADMIN: "agency",
        Role.AGENCY_EXECUTIVE: "agency",
        Role.AGENCY_OFFICER: "agency",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].label_from_instance = lambda d: (
            f"{d.province.name_th} · {d.name_th}"
        )

    def clean(self):
        data = super().clean()
        role = data.get("role")
        if not role:
            return data
        code = (data.get("agency_code") or "").strip()
        data["agency"] = None
        if code:
            data["agency"] = Agency.objects.filter(code=code).first()
            if data["agency"] is None:
                self.add_error("agency_code", _("No agency has this code."))
                return data
        needed = self.SCOPE_FIELD.get(Role(role))
        if needed and not data.get(needed):
            field = "agency_code" if needed == "agency" else needed
            self.add_error(field, _("This role needs this field."))
        if role == Role.AGENCY_OFFICER and not data.get("function"):
            self.add_error("function", _("Choose the officer's function."))
        return data

    def scope(self) -> dict:
        needed = self.SCOPE_FIELD.get(Role(self.cleaned_data["role"]))
        return {needed: self.cleaned_data[needed]} if needed else {}


class AcceptInvitationForm(BootstrapFormMixin, forms.Form):
    """A new person sets their name and a password that Django's validators accept."""

    full_name = forms.CharField(label=_("Full name"), max_length=200)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=lazy(password_validation.password_validators_help_text_html, str)(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str = "", **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords are not the same."))
        elif p1:
            try:
                password_validation.validate_password(
                    p1, User(email=self.email, full_name=data.get("full_name", ""))
                )
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data
