"""Appointments with a deadline: NACC sets the date, the agency admin sees what is missing,
coordinators and district officers see gaps in their scope and remind (once a day), NACC sees
national coverage; nobody's role scope widens."""

import datetime as dt

import pytest
from django.urls import reverse

from itas.accounts import appointments
from itas.accounts.models import AppointmentDeadline
from itas.core.models import AuditEntry, Notification
from itas.core.roles import Function, Role
from tests.factories import PASSWORD, UserFactory, grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def due(world):
    return appointments.set_deadline(world.nacc, fiscal_year=2570, due_on=dt.date(2026, 12, 15))


def test_nacc_sets_the_deadline_and_sees_national_coverage(client, world):
    client.login(username=world.nacc.email, password=PASSWORD)
    response = client.post(
        reverse("accounts:appointments_deadline"), {"fiscal_year": 2570, "due_on": "2026-12-15"}
    )
    assert response.status_code == 302
    assert AppointmentDeadline.objects.get().due_on == dt.date(2026, 12, 15)
    assert AuditEntry.objects.filter(action="accounts.appointments.deadline_set").exists()
    page = client.get(reverse("accounts:appointments"))
    groups = {g.name: g for g in page.context["groups"]}
    # world.agency (Bueng Kan) has its admin, executive and a website officer; Chiang Mai's
    # agency has only its admin.
    bk = groups[world.province.name_th]
    assert (bk.agencies, bk.complete) == (1, 0)
    assert bk.by_code["admin"] == 1 and bk.by_code["website"] == 1 and bk.by_code["finance"] == 0
    assert world.other_province.name_th in groups
    gaps = {a.code: missing for a, missing in page.context["gaps"]}
    assert "การเงินและบัญชี" in gaps[world.agency.code]
    assert "เว็บไซต์" not in gaps[world.agency.code]


def test_a_buddhist_year_typed_as_the_date_is_refused(client, world):
    client.login(username=world.nacc.email, password=PASSWORD)
    client.post(
        reverse("accounts:appointments_deadline"), {"fiscal_year": 2570, "due_on": "2569-12-15"}
    )
    assert not AppointmentDeadline.objects.exists()


def test_agency_admin_sees_what_is_missing_on_the_home_page(client, world, due):
    client.login(username=world.agency_admin.email, password=PASSWORD)
    html = client.get("/").content.decode()
    assert "appointments-panel" in html
    missing = html.split("appointments-panel", 1)[1]
    assert "การเงินและบัญชี" in missing and "บุคลากร" in missing
    for function in (Function.FINANCE, Function.POLICY, Function.PROCUREMENT, Function.PERSONNEL):
        grant(UserFactory(), Role.AGENCY_OFFICER, agency=world.agency, function=function)
    html = client.get("/").content.decode()
    assert 'class="text-success complete"' in html


def test_coordinator_sees_only_the_province_and_reminds_once_a_day(
    client, world, due, django_capture_on_commit_callbacks
):
    client.login(username=world.coordinator.email, password=PASSWORD)
    page = client.get(reverse("accounts:appointments"))
    codes = {a.code for a, _m in page.context["gaps"]}
    assert codes == {world.agency.code}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:appointments_remind"))
    note = Notification.objects.get(user=world.agency_admin)
    assert "การเงินและบัญชี" in note.message
    assert not Notification.objects.filter(user=world.outsider).exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:appointments_remind"))
    assert Notification.objects.filter(user=world.agency_admin).count() == 1


def test_district_officer_sees_the_district(client, world, due):
    client.login(username=world.district_officer.email, password=PASSWORD)
    page = client.get(reverse("accounts:appointments"))
    assert {a.code for a, _m in page.context["gaps"]} == {world.agency.code}
    assert page.context["form"] is None  # only NACC sets the date


@pytest.mark.parametrize("persona", ["agency_admin", "executive", "assessor", "nobody"])
def test_others_cannot_see_or_set(client, world, due, persona):
    client.login(username=getattr(world, persona).email, password=PASSWORD)
    assert client.get(reverse("accounts:appointments")).status_code == 403
    response = client.post(
        reverse("accounts:appointments_deadline"), {"fiscal_year": 2570, "due_on": "2027-01-01"}
    )
    assert response.status_code == 403
    assert AppointmentDeadline.objects.get().due_on == dt.date(2026, 12, 15)


def test_coordinator_cannot_set_the_deadline(client, world, due):
    client.login(username=world.coordinator.email, password=PASSWORD)
    response = client.post(
        reverse("accounts:appointments_deadline"), {"fiscal_year": 2570, "due_on": "2027-01-01"}
    )
    assert response.status_code == 403


def test_the_verbs_check_their_own_permission(world, due):
    """Past the pages too: only NACC sets the date, only those who follow agencies remind."""
    audited = AuditEntry.objects.count()
    with pytest.raises(appointments.AppointmentError):
        appointments.set_deadline(world.coordinator, fiscal_year=2570, due_on=dt.date(2027, 1, 1))
    with pytest.raises(appointments.AppointmentError):
        appointments.remind(world.agency_admin, fiscal_year=2570)
    assert AppointmentDeadline.objects.get().due_on == dt.date(2026, 12, 15)
    assert AuditEntry.objects.count() == audited
    assert not Notification.objects.exists()
