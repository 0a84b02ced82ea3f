from django.contrib.auth import views as auth_views
from django.urls import path

from itas.accounts import views
from itas.accounts.forms import EmailAuthenticationForm
from itas.core.permissions import login, public

app_name = "accounts"
urlpatterns = [
    path(
        "login/",
        public(
            auth_views.LoginView.as_view(
                template_name="accounts/login.html",
                authentication_form=EmailAuthenticationForm,
                extra_context={"demo_users": views.demo_users},
            )
        ),
        name="login",
    ),
    path("logout/", public(auth_views.LogoutView.as_view()), name="logout"),
    path("me/", views.profile, name="profile"),
    path(
        "password/",
        login(
            auth_views.PasswordChangeView.as_view(
                template_name="accounts/password_change.html", success_url="/accounts/me/"
            )
        ),
        name="password_change",
    ),
    path("roles/", views.roles, name="roles"),
    path("roles/<int:role_id>/revoke/", views.revoke_role, name="revoke_role"),
    path("agencies/<str:code>/people/", views.agency_people, name="agency_people"),
    path(
        "invitations/<int:invitation_id>/cancel/",
        views.cancel_invitation,
        name="cancel_invitation",
    ),
    path("invite/<str:token>/", views.accept_invitation, name="accept"),
]
