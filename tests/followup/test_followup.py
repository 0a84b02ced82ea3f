"""Coordinators and district officers remind agencies of their area that are behind: the list
and why, contact details, one reminder or the whole list, a limit, a record of who and when."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from itas.core.models import AuditEntry, Notification
from itas.cycles.models import Enrolment, Phase, PhaseKind
from itas.followup.models import AgencyReminder
from tests.disclosure.conftest import make_cycle, open_phase

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(world):
    cycle = make_cycle()
    open_phase(cycle, PhaseKind.OIT_ANSWERS)
    today = timezone.localdate()
    Phase.objects.create(
        cycle=cycle,
        kind=PhaseKind.SURVEY,
        starts_on=today - dt.timedelta(days=3),
        ends_on=today + dt.timedelta(days=3),
    )
    Enrolment.objects.create(cycle=cycle, agency=world.agency, access_code="AAA111")
    Enrolment.objects.create(cycle=cycle, agency=world.other_agency, access_code="BBB222")
    world.agency.phone = "042 123 456"
    world.agency.email = ""
    world.agency.save()
    return cycle


def page_of(client, cycle, **params):
    return client.get(reverse("followup:agencies", args=[cycle.pk]), params).content.decode()


def test_coordinator_sees_who_is_behind_in_the_province_with_contacts(client, world, cycle):
    client.force_login(world.coordinator)
    page = page_of(client, cycle)
    assert "ท่าสะอาด" in page and "ทดสอบเชียงใหม่" not in page  # Chiang Mai is not theirs
    assert "population not entered" in page or "ยังไม่กรอกจำนวนบุคลากร" in page
    assert "0 จาก 43" in page  # OIT items handed in
    assert 'href="tel:042123456"' in page and world.agency_admin.email in page
    assert "ยังไม่เคยเตือน" in page


def test_a_reminder_reaches_the_admins_inbox_once_within_the_gap(
    client, world, cycle, django_capture_on_commit_callbacks
):
    from django.core import mail

    client.force_login(world.coordinator)
    url = reverse("followup:remind", args=[cycle.pk])
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(url, {"agency": world.agency.pk})
    assert r.status_code == 302
    note = Notification.objects.get(user=world.agency_admin)
    assert "ท่าสะอาด" in note.message and "OIT" in note.message
    assert note.link == reverse(
        "disclosure:board", args=[cycle.enrolments.get(agency=world.agency).pk]
    )
    assert [m.to for m in mail.outbox] == [[world.agency_admin.email]]
    row = AgencyReminder.objects.get()
    assert row.sent_by == world.coordinator and set(row.reasons) == {"survey", "oit"}
    assert AuditEntry.objects.filter(action="followup.agencies.reminded").exists()
    # The district officer tries again at once: nobody is spammed.
    client.force_login(world.district_officer)
    client.post(url, {"agency": world.agency.pk})
    assert Notification.objects.filter(user=world.agency_admin).count() == 1
    assert AgencyReminder.objects.count() == 1
    page = page_of(client, cycle)
    assert "coord@example.org" in page or str(world.coordinator) in page  # who reminded, when


def test_remind_the_whole_filtered_list_and_only_in_scope(client, world, cycle):
    client.force_login(world.coordinator)
    client.post(reverse("followup:remind", args=[cycle.pk]), {"scope": "all", "reason": "oit"})
    assert Notification.objects.filter(user=world.agency_admin).exists()
    assert not Notification.objects.filter(user=world.outsider).exists()  # Chiang Mai
    # An agency outside one's area cannot be reminded by naming it.
    r = client.post(reverse("followup:remind", args=[cycle.pk]), {"agency": world.other_agency.pk})
    assert r.status_code == 302
    assert not AgencyReminder.objects.filter(agency=world.other_agency).exists()


def test_agencies_and_outsiders_cannot_open_the_follow_up(client, world, cycle):
    client.force_login(world.agency_admin)
    assert client.get(reverse("followup:agencies", args=[cycle.pk])).status_code == 403
    assert (
        client.post(
            reverse("followup:remind", args=[cycle.pk]), {"agency": world.agency.pk}
        ).status_code
        == 403
    )


def test_the_agency_admin_is_asked_to_complete_the_contact_details(client, world, cycle):
    client.force_login(world.agency_admin)
    page = client.get(reverse("core:home")).content.decode()
    assert 'id="contact-missing"' in page
    assert reverse("agencies:edit", args=[world.agency.code]) in page
    world.agency.email = "saraban@thasaard.go.th"
    world.agency.save()
    assert 'id="contact-missing"' not in client.get(reverse("core:home")).content.decode()
