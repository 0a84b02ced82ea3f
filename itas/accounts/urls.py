from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from itas.accounts.forms import (
    ChangePasswordForm,
    EmailAuthenticationForm,
    NewPasswordForm,
    ResetRequestForm,
)
from itas.accounts.views import appointments, people
from itas.core.permissions import login, public

app_name = "accounts"
urlpatterns = [
    path(
        "login/",
        public(
            auth_views.LoginView.as_view(
                template_name="accounts/login.html",
                authentication_form=EmailAuthenticationForm,
                extra_context={"demo_users": people.demo_users},
            )
        ),
        name="login",
    ),
    path("logout/", public(auth_views.LogoutView.as_view()), name="logout"),
    path("me/", people.profile, name="profile"),
    path(
        "password/",
        login(
            auth_views.PasswordChangeView.as_view(
                form_class=ChangePasswordForm,
                template_name="accounts/password_change.html",
                success_url="/accounts/me/",
            )
        ),
        name="password_change",
    ),
    # Forgotten passwords: Django's own views and tokens (one use, PASSWORD_RESET_TIMEOUT).
    path(
        "password/reset/",
        public(
            auth_views.PasswordResetView.as_view(
                form_class=ResetRequestForm,
                template_name="accounts/password_reset.html",
                email_template_name="accounts/email/password_reset.txt",
                subject_template_name="accounts/email/password_reset_subject.txt",
                success_url=reverse_lazy("accounts:password_reset_done"),
            )
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        public(
            auth_views.PasswordResetDoneView.as_view(
                template_name="accounts/password_reset_done.html"
            )
        ),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        public(
            auth_views.PasswordResetConfirmView.as_view(
                form_class=NewPasswordForm,
                template_name="accounts/password_reset_confirm.html",
                success_url=reverse_lazy("accounts:password_reset_complete"),
            )
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        public(
            auth_views.PasswordResetCompleteView.as_view(
                template_name="accounts/password_reset_complete.html"
            )
        ),
        name="password_reset_complete",
    ),
    path("appointments/", appointments.overview, name="appointments"),
    path("appointments/deadline/", appointments.set_deadline, name="appointments_deadline"),
    path("appointments/remind/", appointments.remind, name="appointments_remind"),
    path("roles/", people.roles, name="roles"),
    path("roles/<int:role_id>/revoke/", people.revoke_role, name="revoke_role"),
    path("agencies/<str:code>/people/", people.agency_people, name="agency_people"),
    path(
        "invitations/<int:invitation_id>/cancel/",
        people.cancel_invitation,
        name="cancel_invitation",
    ),
    path("invite/<str:token>/", people.accept_invitation, name="accept"),
]
