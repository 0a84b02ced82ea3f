"""The one notification service: an inbox row per recipient, the e-mail per preference, the
inbox page (read/unread, linked), the unread count in the header."""

import pytest
from django.core import mail
from django.urls import reverse

from itas.core import notifications
from itas.core.models import Notification

pytestmark = pytest.mark.django_db


def test_notify_puts_a_row_in_each_inbox_and_one_email_to_those_who_want_it(
    world, django_capture_on_commit_callbacks
):
    notifications.set_email_preference(actor=world.officer, email=False)
    with django_capture_on_commit_callbacks(execute=True):
        rows = notifications.notify(
            recipients=[world.agency_admin, world.officer, world.officer],
            message="ข้อ O2 ถูกส่งกลับ",
            link="/oit/",
            kind="disclosure.item.returned",
        )
    assert len(rows) == 2  # a person named twice gets one message
    assert Notification.objects.filter(user=world.officer, message="ข้อ O2 ถูกส่งกลับ").exists()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [world.agency_admin.email]  # the officer said no to e-mail
    assert "ข้อ O2 ถูกส่งกลับ" in mail.outbox[0].subject
    assert mail.outbox[0].body.endswith("/oit/")


def test_inactive_people_and_foreign_links_get_nothing_unsafe(world):
    world.nobody.is_active = False
    world.nobody.save()
    assert notifications.notify(recipients=[world.nobody], message="x", link="/") == []
    [row] = notifications.notify(recipients=[world.agency_admin], message="x", link="//evil.test/")
    assert row.link == ""  # never a redirect off the site


def test_inbox_lists_only_my_messages_and_opening_one_marks_it_read(client, world):
    notifications.notify(recipients=[world.agency_admin], message="ผลเบื้องต้นออกแล้ว", link="/oit/")
    notifications.notify(recipients=[world.outsider], message="ของหน่วยงานอื่น", link="/")
    client.force_login(world.agency_admin)
    page = client.get(reverse("core:inbox")).content.decode()
    assert "ผลเบื้องต้นออกแล้ว" in page and "ของหน่วยงานอื่น" not in page
    assert 'id="inbox-link"' in page and "ยังไม่อ่าน" in page  # the count in the header
    row = Notification.objects.get(user=world.agency_admin)
    # Opening is a POST (no write on GET) that lands on the linked page.
    assert client.get(reverse("core:inbox_open", args=[row.pk])).status_code == 405
    response = client.post(reverse("core:inbox_open", args=[row.pk]))
    assert response.status_code == 302 and response["Location"] == "/oit/"
    row.refresh_from_db()
    assert row.read_at is not None
    assert notifications.unread_count(world.agency_admin) == 0
    other = Notification.objects.get(user=world.outsider)
    assert client.post(reverse("core:inbox_open", args=[other.pk])).status_code == 404


def test_unread_filter_mark_all_and_email_preference(
    client, world, django_capture_on_commit_callbacks
):
    for text in ("หนึ่ง", "สอง"):
        notifications.notify(recipients=[world.officer], message=text, link="/")
    client.force_login(world.officer)
    client.post(reverse("core:inbox_read_all"))
    assert notifications.unread_count(world.officer) == 0
    assert "หนึ่ง" not in client.get(reverse("core:inbox") + "?show=unread").content.decode()
    client.post(reverse("core:inbox_preference"), {"email": "0"})
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify(recipients=[world.officer], message="สาม", link="/")
    assert mail.outbox == [] and notifications.unread_count(world.officer) == 1
    page = client.get(reverse("core:inbox")).content.decode()
    assert "ส่งทางอีเมลด้วย" in page  # the way back to e-mail is offered


def test_inbox_needs_sign_in(client):
    response = client.get(reverse("core:inbox"))
    assert response.status_code == 302 and "/login" in response["Location"]
