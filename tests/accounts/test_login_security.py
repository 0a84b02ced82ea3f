"""Sign-in under attack, behind a reverse proxy: wrong passwords lock the account for the
address that typed them only (not for its owner elsewhere), an address trying many accounts is
stopped, and a forgotten password is reset by e-mail through Django's own views."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.5"
ATTACKER, OWNER = "198.51.100.66", "203.0.113.10"


@pytest.fixture
def behind_proxy(settings):
    settings.AXES_ENABLED = True
    settings.ITAS_PROXY_COUNT = 1
    settings.ITAS_LOGIN_ADDRESS_FAILURE_LIMIT = 20


def sign_in(client, email, password, client_ip, spoofed=""):
    """Through one proxy, which appends the address it saw to what the client claimed."""
    forwarded = f"{spoofed}, {client_ip}" if spoofed else client_ip
    return client.post(
        reverse("accounts:login"),
        {"username": email, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
        HTTP_ACCEPT_LANGUAGE="th",
    )


def test_wrong_passwords_lock_the_account_for_that_client_only(client, world, behind_proxy):
    from django.test import Client

    victim = world.agency_admin
    statuses = [
        sign_in(Client(), victim.email, "wrong-password", ATTACKER).status_code for _ in range(5)
    ]
    assert statuses[:4] == [200] * 4  # the fifth failure locks
    # The attacker is locked out, even with the right password ...
    locked = sign_in(Client(), victim.email, PASSWORD, ATTACKER)
    assert locked.status_code in (403, 429)
    assert "เข้าสู่ระบบไม่สำเร็จหลายครั้งเกินไป" in locked.content.decode()
    # ... the owner, through the same proxy from another address, is not.
    owner = sign_in(client, victim.email, PASSWORD, OWNER)
    assert owner.status_code == 302
    assert client.session["_auth_user_id"] == str(victim.pk)


def test_an_address_trying_many_accounts_is_stopped_and_others_are_not(client, behind_proxy):
    from django.test import Client

    real = UserFactory()
    for n in range(20):
        # A forged X-Forwarded-For entry per try does not make the sprayer someone else.
        response = sign_in(
            Client(), f"sprayed{n}@example.org", "Summer2026!", ATTACKER, spoofed=f"192.0.2.{n}"
        )
        assert response.status_code == 200, n
    # The 21st try from that address is refused before any password is checked, whatever the
    # account and even with its right password.
    refused = sign_in(Client(), real.email, PASSWORD, ATTACKER)
    assert refused.status_code == 200
    assert "_auth_user_id" not in refused.wsgi_request.session
    assert "จากเครือข่ายของท่านไม่สำเร็จหลายครั้งเกินไป" in refused.content.decode()
    # Another address signs in as usual.
    assert sign_in(client, real.email, PASSWORD, OWNER).status_code == 302


def test_a_few_colleagues_typos_on_one_office_address_block_nobody(client, behind_proxy):
    from django.test import Client

    colleagues = [UserFactory() for _ in range(6)]
    for person in colleagues:
        for _ in range(2):
            assert sign_in(Client(), person.email, "typo", OWNER).status_code == 200
    for person in colleagues:
        assert sign_in(Client(), person.email, PASSWORD, OWNER).status_code == 302


def test_forgotten_password_is_reset_by_e_mail_in_thai(client, settings):
    settings.PUBLIC_BASE_URL = "https://itas.example.go.th"
    person = UserFactory()
    page = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="th")
    assert reverse("accounts:password_reset") in page.content.decode()
    form = client.get(reverse("accounts:password_reset"), HTTP_ACCEPT_LANGUAGE="th")
    assert "ลืมรหัสผ่าน" in form.content.decode()

    # An unknown address gets the same answer and no e-mail (nobody learns who has an account).
    unknown = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert unknown.status_code == 302 and not mail.outbox
    sent = client.post(
        reverse("accounts:password_reset"), {"email": person.email}, HTTP_ACCEPT_LANGUAGE="th"
    )
    assert sent["Location"] == unknown["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [person.email]
    assert "รหัสผ่าน" in message.subject
    link = re.search(r"https://itas\.example\.go\.th(/\S+)", message.body).group(1)

    opened = client.get(link, HTTP_ACCEPT_LANGUAGE="th")
    assert opened.status_code == 302  # Django swaps the token for a session key first
    form = client.get(opened["Location"], HTTP_ACCEPT_LANGUAGE="th")
    assert "ตั้งรหัสผ่านใหม่" in form.content.decode()
    new = "kuLap-Daeng-2569"
    weak = client.post(opened["Location"], {"new_password1": "123", "new_password2": "123"})
    assert weak.status_code == 200  # Django's validators refuse it, the form comes back
    done = client.post(opened["Location"], {"new_password1": new, "new_password2": new})
    assert done["Location"] == reverse("accounts:password_reset_complete")
    person.refresh_from_db()
    assert person.check_password(new)
    # The link works once.
    again = client.get(link, HTTP_ACCEPT_LANGUAGE="th")
    assert "ลิงก์นี้ใช้ไม่ได้แล้ว" in again.content.decode()
