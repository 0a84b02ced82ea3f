"""Viewing sites of a live stream: the province designates them and assigns the district's
agencies, the host takes attendance (list or the agency's QR code), NACC and the province see
who was represented and by whom, reminders are rate-limited, and the letter's list exports."""

import io
import subprocess

import pytest
from django.core import mail
from django.urls import reverse
from openpyxl import load_workbook

from itas.core.models import AuditEntry, Notification
from itas.core.roles import Role
from itas.events import sites
from itas.events.models import EventKind
from itas.events.models_sites import SiteAssignment, SiteAttendance, ViewingSite
from itas.events.services import EventError
from itas.geo.models import District
from tests.events.bueng_kan import BAN_TONG, THA_SA_AT, THA_SA_AT_SAO
from tests.events.conftest import make_event
from tests.factories import PASSWORD, UserFactory, grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def stream(world, bk_registry):
    """NACC's live stream for every LAO (no target group), as in seed letter 000."""
    return make_event(kind=EventKind.LIVESTREAM, title="ชี้แจงกรอบการประเมิน ITA (YouTube Live)")


@pytest.fixture
def seka():
    return District.objects.get(code="3804")


def _site_data(district, **kw):
    data = {
        "district": district.pk,
        "venue": "หอประชุมอำเภอเซกา",
        "address": "ที่ว่าการอำเภอเซกา ถนนเซกา-บึงกาฬ",
        "host_name": "นายปกครอง ท้องถิ่นอำเภอ",
        "host_phone": "042 481 000",
        "capacity": 60,
        "equipment_note": "จอโปรเจกเตอร์ อินเทอร์เน็ต 100 Mbps",
    }
    data.update(kw)
    return data


def test_coordinator_designates_sites_and_assigns_the_districts_agencies(
    client, world, stream, seka, bk_registry
):
    client.login(username=world.coordinator.email, password=PASSWORD)
    response = client.post(reverse("events:sites", args=[stream.pk]), _site_data(seka))
    assert response.status_code == 302
    site = ViewingSite.objects.get()
    assert (site.district, site.created_by, site.capacity) == (seka, world.coordinator, 60)
    assert AuditEntry.objects.filter(action="events.site.created", actor=world.coordinator).exists()

    page = client.get(reverse("events:site", args=[site.pk]))
    offered = {a.code for a, _checked, _other in page.context["agencies"]}
    assert {THA_SA_AT, BAN_TONG, THA_SA_AT_SAO} <= offered
    assert all(bk_registry[c].district_id == seka.pk for c in offered)
    ids = [bk_registry[THA_SA_AT].pk, bk_registry[BAN_TONG].pk]
    client.post(reverse("events:site_assign", args=[site.pk]), {"agency": ids})
    assert set(site.assignments.values_list("agency_id", flat=True)) == set(ids)

    # A second site in the district takes one of them: it moves, it is not in two places.
    second = client.post(
        reverse("events:sites", args=[stream.pk]), _site_data(seka, venue="อบต.บ้านต้อง")
    )
    assert second.status_code == 302
    other = ViewingSite.objects.get(venue="อบต.บ้านต้อง")
    client.post(reverse("events:site_assign", args=[other.pk]), {"agency": [ids[1]]})
    assert SiteAssignment.objects.get(agency_id=ids[1]).site == other
    assert SiteAssignment.objects.filter(event=stream).count() == 2

    # An agency of another district is refused, and nothing changes.
    pao = District.objects.get(code="3801")
    outside = bk_registry_agency_in(bk_registry, pao)
    client.post(reverse("events:site_assign", args=[site.pk]), {"agency": [outside.pk]})
    assert not SiteAssignment.objects.filter(agency=outside).exists()


def bk_registry_agency_in(registry, district):
    return next(a for a in registry.values() if a.district_id == district.pk)


def test_a_coordinator_cannot_designate_a_site_in_another_province(client, world, stream):
    client.login(username=world.coordinator.email, password=PASSWORD)
    chiang_mai = District.objects.filter(province=world.other_province).first()
    response = client.post(reverse("events:sites", args=[stream.pk]), _site_data(chiang_mai))
    assert response.status_code == 400
    assert not ViewingSite.objects.exists()
    # And the service refuses too, whatever the form offers.
    with pytest.raises(EventError):
        sites.save_site(
            world.coordinator,
            site=ViewingSite(event=stream, district=chiang_mai, venue="x", host_name="y"),
        )


@pytest.mark.parametrize("persona", ["district_officer", "agency_admin", "outsider"])
def test_others_may_not_manage_sites(client, world, stream, seka, persona):
    site = sites.save_site(
        world.coordinator,
        site=ViewingSite(event=stream, district=seka, venue="หอประชุม", host_name="ผู้ดูแล"),
    )
    client.login(username=getattr(world, persona).email, password=PASSWORD)
    assert client.get(reverse("events:sites", args=[stream.pk])).status_code == 403
    assert client.post(reverse("events:site_assign", args=[site.pk]), {}).status_code == 403


def _two_sites(world, stream, seka, registry):
    a = sites.save_site(
        world.coordinator,
        site=ViewingSite(event=stream, district=seka, venue="หอประชุมอำเภอเซกา", host_name="ก"),
    )
    b = sites.save_site(
        world.coordinator,
        site=ViewingSite(event=stream, district=seka, venue="อบต.บ้านต้อง", host_name="ข"),
    )
    sites.assign_agencies(world.coordinator, site=a, agency_ids=[registry[THA_SA_AT].pk])
    sites.assign_agencies(
        world.coordinator, site=b, agency_ids=[registry[BAN_TONG].pk, registry[THA_SA_AT_SAO].pk]
    )
    return a, b


def test_host_takes_attendance_from_the_list_and_by_qr(client, world, stream, seka, bk_registry):
    a, b = _two_sites(world, stream, seka, bk_registry)
    # The host needs no account: the link is the key.
    page = client.get(b.host_path())
    assert page.status_code == 200
    assert "อบต.บ้านต้อง" in page.content.decode()
    assert [ag.code for ag, _att in page.context["rows"]] == sorted(
        [BAN_TONG, THA_SA_AT_SAO], key=lambda c: bk_registry[c].name
    )
    client.post(
        b.host_path(),
        {"agency": BAN_TONG, "represented": ["admin", "executive", "finance"], "people": "นาย ก"},
    )
    row = SiteAttendance.objects.get(agency__code=BAN_TONG)
    assert row.represented == ["admin", "executive", "finance"] and row.via == "list"

    # The agency's QR code opens the check-in of the host's site on the host's phone.
    qr = client.get(reverse("events:agency_qr", args=[stream.public_code, THA_SA_AT_SAO]))
    assert qr["Content-Type"] == "image/svg+xml"
    checkin = client.get(reverse("events:checkin", args=[stream.public_code, THA_SA_AT_SAO]))
    assert checkin.context["site"] == b
    client.post(b.host_path(), {"agency": THA_SA_AT_SAO, "represented": ["website"], "via": "qr"})
    assert SiteAttendance.objects.get(agency__code=THA_SA_AT_SAO).via == "qr"

    # Elsewhere (no host link opened) the QR page only says what it is for.
    other = client.__class__()
    page = other.get(reverse("events:checkin", args=[stream.public_code, THA_SA_AT_SAO]))
    assert page.context["site"] is None

    # Bad input: an unknown agency and junk codes are refused or dropped, nothing stored.
    bad = client.post(b.host_path(), {"agency": "0000000", "represented": ["admin"]})
    assert bad.status_code == 400
    client.post(b.host_path(), {"agency": BAN_TONG, "represented": ["admin", "<script>"]})
    assert SiteAttendance.objects.get(agency__code=BAN_TONG).represented == ["admin"]
    far = client.post(b.host_path(), {"agency": world.other_agency.code, "represented": ["admin"]})
    assert far.status_code == 400
    assert not SiteAttendance.objects.filter(agency=world.other_agency).exists()
    assert client.get("/events/host/not-a-code/").status_code == 404


def test_followup_shows_per_district_who_represented_each_agency(
    client, world, stream, seka, bk_registry
):
    a, b = _two_sites(world, stream, seka, bk_registry)
    sites.record_attendance(
        None, site=b, agency=bk_registry[BAN_TONG], represented=["admin", "executive", "policy"]
    )
    client.login(username=world.nacc.email, password=PASSWORD)
    page = client.get(reverse("events:site_followup", args=[stream.pk]))
    groups = {g.district: g for g in page.context["groups"]}
    seka_group = groups[seka.name_th]
    assert seka_group.targets == District.objects.get(pk=seka.pk).agencies.count()
    assert (seka_group.represented, seka_group.with_admin, seka_group.with_executive) == (1, 1, 1)
    row = next(r for r in seka_group.rows if r.agency.code == BAN_TONG)
    assert row.site == b
    html = page.content.decode()
    assert "ผู้ดูแลระบบ" in html or "Admin" in html
    assert "นโยบายและแผน" in html
    # Only missing: BAN_TONG is gone, THA_SA_AT (assigned, absent) is there.
    missing = client.get(reverse("events:site_followup", args=[stream.pk]), {"show": "missing"})
    codes = {r.agency.code for g in missing.context["groups"] for r in g.rows}
    assert BAN_TONG not in codes and THA_SA_AT in codes

    # The district officer of Mueang Bueng Kan sees only that district's agencies.
    client.login(username=world.district_officer.email, password=PASSWORD)
    page = client.get(reverse("events:site_followup", args=[stream.pk]))
    assert {g.district for g in page.context["groups"]} <= {world.district.name_th}


def test_reminders_reach_admins_of_unrepresented_agencies_once_a_day(
    client, world, stream, seka, bk_registry, django_capture_on_commit_callbacks
):
    a, b = _two_sites(world, stream, seka, bk_registry)
    admin = UserFactory(email="admin@thasaat.go.th")
    grant(admin, Role.AGENCY_ADMIN, agency=bk_registry[THA_SA_AT])
    present = UserFactory(email="admin@bantong.go.th")
    grant(present, Role.AGENCY_ADMIN, agency=bk_registry[BAN_TONG])
    sites.record_attendance(None, site=b, agency=bk_registry[BAN_TONG], represented=["admin"])
    client.login(username=world.coordinator.email, password=PASSWORD)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("events:site_remind", args=[stream.pk]))
    assert Notification.objects.filter(user=admin, kind="events.site.reminder").count() == 1
    assert not Notification.objects.filter(user=present).exists()
    assert any("admin@thasaat.go.th" in m.to for m in mail.outbox)
    sent = len(mail.outbox)
    # Pressing again the same day sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("events:site_remind", args=[stream.pk]))
    assert Notification.objects.filter(user=admin).count() == 1
    assert len(mail.outbox) == sent


def test_the_letters_list_as_pdf_and_xlsx(client, world, stream, seka, bk_registry, tmp_path):
    _two_sites(world, stream, seka, bk_registry)
    ViewingSite.objects.filter(venue="อบต.บ้านต้อง").update(host_name="=1+cmd|' /C calc'!A0")
    client.login(username=world.coordinator.email, password=PASSWORD)
    xlsx = client.get(reverse("events:site_letter", args=[stream.pk]), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.getvalue())).active
    assert not [c for r in sheet.iter_rows() for c in r if c.data_type == "f"]
    assert "'=1+cmd|' /C calc'!A0" in [r[3].value for r in sheet.iter_rows()]
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    assert rows[0][0] == stream.title
    venues = [r[1] for r in rows[2:] if r[1]]
    assert venues == ["หอประชุมอำเภอเซกา", "อบต.บ้านต้อง"]
    agencies = [r[7] for r in rows[2:]]
    assert bk_registry[BAN_TONG].full_name in agencies
    pdf = client.get(reverse("events:site_letter", args=[stream.pk]), {"format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf"
    path = tmp_path / "sites.pdf"
    path.write_bytes(pdf.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "อบต.บ้านต้อง" in text and seka.name_th in text


def test_agency_admin_chooses_a_site_when_the_province_allows(
    client, world, stream, seka, bk_registry
):
    a, b = _two_sites(world, stream, seka, bk_registry)
    admin = UserFactory(email="admin@thasaat.go.th")
    grant(admin, Role.AGENCY_ADMIN, agency=bk_registry[THA_SA_AT])
    client.login(username=admin.email, password=PASSWORD)
    # Not allowed while the province assigns.
    client.post(reverse("events:site_choose", args=[b.pk]))
    assert SiteAssignment.objects.get(agency=bk_registry[THA_SA_AT]).site == a
    b.agencies_choose = True
    b.save()
    home = client.get("/").content.decode()
    assert "หอประชุมอำเภอเซกา" in home and "อบต.บ้านต้อง" in home
    client.post(reverse("events:site_choose", args=[b.pk]))
    assignment = SiteAssignment.objects.get(agency=bk_registry[THA_SA_AT])
    assert assignment.site == b and assignment.chosen_by_agency


def test_the_site_verbs_check_their_rules_themselves(world, stream, seka, bk_registry):
    """Called past the pages, the verbs still refuse whom the rules refuse (events/rules.py),
    with the events' error and no write, no audit entry."""
    a, b = _two_sites(world, stream, seka, bk_registry)
    b.agencies_choose = True
    b.save()
    agency = bk_registry[THA_SA_AT]
    audited = AuditEntry.objects.count()
    # Choosing the agency's site is its admin's (not another agency's admin, not NACC's).
    for who in (world.outsider, world.nacc):
        with pytest.raises(EventError):
            sites.choose_site(who, site=b, agency=agency)
    assert SiteAssignment.objects.get(agency=agency).site == a
    # Attendance: the host (actor None, the link is the key) or whoever manages the site.
    with pytest.raises(EventError):
        sites.record_attendance(world.agency_admin, site=b, agency=agency, represented=["admin"])
    assert not SiteAttendance.objects.exists()
    # Reminders are for those who follow the event up.
    with pytest.raises(EventError):
        sites.remind_unrepresented(world.agency_admin, event=stream)
    assert AuditEntry.objects.count() == audited
    sites.record_attendance(world.coordinator, site=b, agency=agency, represented=["admin"])
    assert SiteAttendance.objects.filter(site=b, agency=agency).exists()
