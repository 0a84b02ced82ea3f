import datetime as dt

import pytest
from django.utils import timezone

from itas.events.models import Event, EventKind, Session, TargetGroup, TargetMember, TargetSource
from tests.events.bueng_kan import (
    BAN_TONG,
    BUNG_NGAM,
    NONG_DOEN,
    PAO,
    THA_SA_AT,
    create_bueng_kan_registry,
)


@pytest.fixture
def bk_registry(db):
    return {a.code: a for a in create_bueng_kan_registry()}


def make_event(*, target_group=None, deadline_days=5, **kw) -> Event:
    start = timezone.now().replace(hour=2, minute=0, second=0, microsecond=0) + dt.timedelta(
        days=deadline_days + 4
    )
    data = {
        "title": "สัมมนา ยกระดับผลการประเมิน ITA ครั้งที่ ๔ ภาค ๔",
        "kind": EventKind.WEBINAR,
        "starts_at": start,
        "ends_at": start + dt.timedelta(hours=3),
        "registration_deadline": timezone.now() + dt.timedelta(days=deadline_days),
        "join_url": "https://zoom.example/j/91234567890",
        "meeting_id": "912 3456 7890",
        "passcode": "ITA2564",
        "contact_name": "กลุ่มส่งเสริมธรรมาภิบาล อปท.",
        "contact_phone": "0 2528 4800 ต่อ 7121",
        "target_group": target_group,
    }
    data.update(kw)
    event = Event.objects.create(**data)
    Session.objects.create(
        event=event, starts=dt.time(9, 0), ends=dt.time(9, 15), topic="ลงทะเบียนเข้าระบบ Zoom Webinar"
    )
    Session.objects.create(
        event=event,
        starts=dt.time(9, 30),
        ends=dt.time(12, 0),
        topic="เจาะลึกการประเมิน ITA ประเด็นการเปิดเผยข้อมูลสาธารณะ (OIT)",
        speakers="วิทยากรจากสำนักประเมินคุณธรรมและความโปร่งใส",
    )
    return event


def make_group(agencies, name="อปท. บึงกาฬ ที่ไม่ผ่าน ITA 2563") -> TargetGroup:
    group = TargetGroup.objects.create(name=name, source=TargetSource.LIST)
    TargetMember.objects.bulk_create(TargetMember(group=group, agency=a) for a in agencies)
    return group


@pytest.fixture
def webinar(world, bk_registry):
    """The region-4 webinar for five Bueng Kan LAOs of the letter (plus world.agency)."""
    members = [bk_registry[c] for c in (BUNG_NGAM, NONG_DOEN, BAN_TONG, PAO, THA_SA_AT)]
    group = make_group([*members, world.agency])
    return make_event(target_group=group)


@pytest.fixture(autouse=True)
def _fresh_limits():
    """Registration limits count in the cache; each test starts with none spent."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
