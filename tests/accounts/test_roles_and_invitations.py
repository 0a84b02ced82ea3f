"""People and roles: NACC appoints, agency admins invite their own people, links work once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from itas.accounts import services
from itas.accounts.errors import AccountError
from itas.accounts.models import Invitation, RoleAssignment, User
from itas.core.models import AuditEntry, OutboxMessage
from itas.core.roles import Function, Role
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def invite_officer(client, world, django_capture_on_commit_callbacks):
    """The agency admin invites an officer; the e-mail goes out when the transaction commits."""

    def invite(email="new.officer@example.org"):
        client.force_login(world.agency_admin)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                reverse("accounts:agency_people", args=[world.agency.code]),
                {"email": email, "role": Role.AGENCY_OFFICER, "function": Function.FINANCE},
            )

    return invite


def token_from_mail(message) -> str:
    import re

    match = re.search(r"/accounts/invite/([\w-]+)/", message.body)
    assert match, message.body
    return match.group(1)


def test_agency_admin_invites_an_officer_who_creates_an_account(client, world, invite_officer):
    response = invite_officer()
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.officer@example.org"]
    token = token_from_mail(message)
    client.logout()
    url = reverse("accounts:accept", args=[token])
    page = client.get(url)
    assert page.status_code == 200 and "new.officer@example.org" in page.content.decode()
    # A password Django's validators refuse: Thai message, no account.
    weak = client.post(
        url,
        {"full_name": "นางสาวใหม่ ใจดี", "password1": "12345678", "password2": "12345678"},
        HTTP_ACCEPT_LANGUAGE="th",
    )
    assert weak.status_code == 400
    assert not User.objects.filter(email="new.officer@example.org").exists()
    good = client.post(
        url, {"full_name": "นางสาวใหม่ ใจดี", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert good.status_code == 302
    user = User.objects.get(email="new.officer@example.org")
    assert user.check_password(PASSWORD)
    role = RoleAssignment.objects.get(user=user)
    assert (role.role, role.agency, role.function) == (
        Role.AGENCY_OFFICER,
        world.agency,
        Function.FINANCE,
    )
    assert client.get(reverse("accounts:profile")).status_code == 200  # signed in
    # Single use.
    client.logout()
    again = client.get(url, HTTP_ACCEPT_LANGUAGE="th")
    assert again.status_code == 404 and "ถูกใช้ไปแล้ว" in again.content.decode()
    assert AuditEntry.objects.filter(action="accounts.invitation.accepted").count() == 1


def test_expired_and_unknown_links_are_refused(client, world, invite_officer):
    invite_officer()
    invitation = Invitation.objects.get()
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(1))
    client.logout()
    expired = client.get(reverse("accounts:accept", args=[invitation.token]))
    assert expired.status_code == 404
    post = client.post(
        reverse("accounts:accept", args=[invitation.token]),
        {"full_name": "x", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert post.status_code == 404
    assert not User.objects.filter(email=invitation.email).exists()
    assert client.get(reverse("accounts:accept", args=["nope"])).status_code == 404


def test_existing_user_must_sign_in_to_accept(client, world, invite_officer):
    invite_officer(email=world.nobody.email)
    invitation = Invitation.objects.get()
    url = reverse("accounts:accept", args=[invitation.token])
    client.logout()
    assert client.post(url).status_code == 200  # anonymous: asked to sign in, nothing happens
    assert Invitation.objects.get().accepted_at is None
    client.force_login(world.outsider)  # someone else
    with pytest.raises(AccountError):
        services.accept_invitation(token=invitation.token, user=world.outsider)
    client.force_login(world.nobody)
    assert client.post(url).status_code == 302
    assert world.nobody.role_assignments.get().agency == world.agency


def test_agency_admin_cannot_appoint_admins_or_invite_elsewhere(client, world):
    with pytest.raises(AccountError):
        services.invite(
            world.agency_admin, email="x@example.org", role=Role.AGENCY_ADMIN, agency=world.agency
        )
    with pytest.raises(AccountError):
        services.invite(
            world.agency_admin,
            email="x@example.org",
            role=Role.AGENCY_EXECUTIVE,
            agency=world.other_agency,
        )
    with pytest.raises(AccountError):
        services.grant_role(
            world.agency_admin, user=world.nobody, role=Role.ASSESSOR, assessor_group=world.group_a
        )
    client.force_login(world.agency_admin)
    response = client.post(
        reverse("accounts:agency_people", args=[world.agency.code]),
        {"email": "x@example.org", "role": Role.AGENCY_ADMIN},
    )
    assert response.status_code == 400
    assert Invitation.objects.count() == 0 and not mail.outbox


def test_officer_needs_a_function(client, world):
    client.force_login(world.agency_admin)
    response = client.post(
        reverse("accounts:agency_people", args=[world.agency.code]),
        {"email": "x@example.org", "role": Role.AGENCY_OFFICER},
        HTTP_ACCEPT_LANGUAGE="th",
    )
    assert response.status_code == 400
    assert "กรุณาเลือกหน้าที่ของเจ้าหน้าที่" in response.content.decode()


def test_nacc_appoints_an_assessor_and_an_agency_admin(client, world):
    client.force_login(world.nacc)
    url = reverse("accounts:roles")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"email": world.nobody.email, "role": Role.ASSESSOR, "assessor_group": world.group_b.pk},
    )
    assert response.status_code == 302
    assert world.nobody.role_assignments.get(role=Role.ASSESSOR).assessor_group == world.group_b
    # Someone without an account: an invitation.
    response = client.post(
        url, {"email": "palad@example.org", "role": Role.AGENCY_ADMIN, "agency_code": "6500101"}
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="palad@example.org")
    assert invitation.agency == world.other_agency and invitation.role == Role.AGENCY_ADMIN
    # The scope must match the role.
    bad = client.post(url, {"email": "a@example.org", "role": Role.PROVINCE_COORDINATOR})
    assert bad.status_code == 400
    unknown = client.post(
        url, {"email": "a@example.org", "role": Role.AGENCY_ADMIN, "agency_code": "0000000"}
    )
    assert unknown.status_code == 400
    duplicate = client.post(
        url,
        {"email": world.nobody.email, "role": Role.ASSESSOR, "assessor_group": world.group_b.pk},
    )
    assert duplicate.status_code == 400


@pytest.mark.parametrize("who", ["agency_admin", "assessor", "coordinator", "nobody"])
def test_only_nacc_manages_every_role(client, world, who):
    client.force_login(getattr(world, who))
    assert client.get(reverse("accounts:roles")).status_code == 403
    response = client.post(
        reverse("accounts:roles"),
        {"email": "z@example.org", "role": Role.NACC_ADMIN},
    )
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_agency_admin_revokes_an_officer_but_not_itself(client, world):
    officer_role = world.officer.role_assignments.get()
    own_role = world.agency_admin.role_assignments.get()
    client.force_login(world.agency_admin)
    assert client.post(reverse("accounts:revoke_role", args=[own_role.pk])).status_code == 403
    response = client.post(reverse("accounts:revoke_role", args=[officer_role.pk]))
    assert response.status_code == 302
    officer_role.refresh_from_db()
    assert officer_role.is_active is False
    assert AuditEntry.objects.filter(action="accounts.role.revoked").count() == 1
    client.force_login(world.outsider)
    exec_role = world.executive.role_assignments.get()
    assert client.post(reverse("accounts:revoke_role", args=[exec_role.pk])).status_code == 403
    exec_role.refresh_from_db()
    assert exec_role.is_active


def test_cancelled_invitation_cannot_be_used(client, world, invite_officer):
    invite_officer()
    invitation = Invitation.objects.get()
    client.force_login(world.outsider)
    assert (
        client.post(reverse("accounts:cancel_invitation", args=[invitation.pk])).status_code == 403
    )
    client.force_login(world.agency_admin)
    assert (
        client.post(reverse("accounts:cancel_invitation", args=[invitation.pk])).status_code == 302
    )
    client.logout()
    assert client.get(reverse("accounts:accept", args=[invitation.token])).status_code == 404


def test_invitation_lands_in_the_outbox_in_demo_mode(client, world, settings, invite_officer):
    settings.EMAIL_BACKEND = "itas.core.mail.OutboxBackend"
    invite_officer(email="demo.officer@example.org")
    message = OutboxMessage.objects.get()
    assert message.to == ["demo.officer@example.org"]
    assert "/accounts/invite/" in message.body_text
    client.force_login(world.nacc)
    outbox = client.get(reverse("core:outbox"), HTTP_ACCEPT_LANGUAGE="th")
    assert message.subject in outbox.content.decode()
    assert client.get(reverse("core:outbox_message", args=[message.pk])).status_code == 200
    client.force_login(world.agency_admin)
    assert client.get(reverse("core:outbox")).status_code == 403


def test_sixth_wrong_password_locks_out_with_the_thai_page(client, world, settings):
    settings.AXES_ENABLED = True
    url = reverse("accounts:login")
    statuses = []
    for _ in range(5):
        response = client.post(
            url,
            {"username": world.nobody.email, "password": "wrong-password"},
            HTTP_ACCEPT_LANGUAGE="th",
        )
        statuses.append(response.status_code)
    assert statuses[:4] == [200] * 4  # ordinary failures: the form again
    sixth = client.post(
        url,
        {"username": world.nobody.email, "password": PASSWORD},  # even the right one
        HTTP_ACCEPT_LANGUAGE="th",
    )
    assert sixth.status_code in (403, 429)
    assert "เข้าสู่ระบบไม่สำเร็จหลายครั้งเกินไป" in sixth.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_by_email_works(client, world):
    response = client.post(
        reverse("accounts:login"), {"username": world.nobody.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(world.nobody.pk)


def test_demo_users_one_per_role_with_the_demo_password(settings):
    from types import SimpleNamespace

    from django.contrib.auth import authenticate

    from itas.accounts import demo as accounts_demo
    from itas.agencies import demo as agencies_demo
    from itas.geo import demo as geo_demo

    out = SimpleNamespace(stdout=SimpleNamespace(write=lambda s: None))
    settings.AXES_ENABLED = False
    for module in (geo_demo, agencies_demo, accounts_demo):
        module.load(out)
    accounts_demo.load(out)  # idempotent
    users = User.objects.filter(email__endswith="@demo.itas.local")
    roles = set(RoleAssignment.objects.filter(user__in=users).values_list("role", flat=True))
    assert roles == set(Role.values)
    assert users.count() == len(accounts_demo.PEOPLE)
    assert authenticate(email="admin@demo.itas.local", password="demo-password") is not None
    settings.DEMO_MODE = True
    from itas.accounts.views.people import demo_users

    assert len(demo_users()) == users.count()
    settings.DEMO_MODE = False
    assert demo_users() == []


def test_admin_site_pages_for_people_work(client, world):
    from django.contrib.auth.hashers import make_password

    admin = User.objects.create(
        email="root@example.org", password=make_password(PASSWORD), is_staff=True,
        is_superuser=True,
    )  # fmt: skip
    client.force_login(admin)
    assert client.get(reverse("admin:accounts_user_add")).status_code == 200
    assert (
        client.get(reverse("admin:accounts_user_change", args=[world.officer.pk])).status_code
        == 200
    )
    response = client.post(
        reverse("admin:accounts_user_add"),
        {"email": "added@example.org", "usable_password": "true", "password1": PASSWORD,
         "password2": PASSWORD, "role_assignments-TOTAL_FORMS": "0",
         "role_assignments-INITIAL_FORMS": "0"},
    )  # fmt: skip
    assert response.status_code == 302
    assert User.objects.get(email="added@example.org").check_password(PASSWORD)
    assert client.get(reverse("admin:agencies_agency_changelist")).status_code == 200


def test_password_pages_explain_the_rules_in_thai(client, world):
    """Django's validators and set-password forms speak English only; ours are in Thai."""
    client.force_login(world.officer)
    html = client.get(reverse("accounts:password_change")).content.decode()
    assert "อย่างน้อย 8 ตัวอักษร" in html and "พิมพ์รหัสผ่านเดิมอีกครั้ง" in html
    assert "Your password" not in html and "Enter the same password" not in html
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345679"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "รหัสผ่านทั้งสองช่องไม่ตรงกัน" in html
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    html = response.content.decode()
    assert "ตัวเลขล้วน" in html and "entirely numeric" not in html
