import pytest

from itas.scoring.models import ResultStatus
from tests.factories import AgencyFactory
from tests.reports.factories import CycleFactory, add_result, make_result_set


@pytest.fixture
def results(world):
    """FY2566 published, FY2567 published (v2) with a preliminary set (v1) beside it; agency A
    fails in 2567 with OIT items and recommendations, and passed its previous year."""
    from itas.geo.models import District

    old = CycleFactory(fiscal_year=2566)
    cycle = CycleFactory(fiscal_year=2567, framework=old.framework)
    old_pub = make_result_set(old, status=ResultStatus.PUBLISHED)
    add_result(old_pub, world.agency, 88.0)
    add_result(old_pub, world.other_agency, 70.0)
    prelim = make_result_set(cycle)
    pub = make_result_set(cycle, status=ResultStatus.PUBLISHED)
    seka = District.objects.get(code="3802")
    extra = [
        AgencyFactory(name=f"ทดสอบบึงกาฬ{i}", province=world.province, district=seka)
        for i in range(4)
    ]
    for rs in (prelim, pub):
        add_result(
            rs,
            world.agency,
            72.5 if rs is pub else 60.0,
            indicators={str(i): 50.0 + i for i in range(1, 11)},
            questions={"O1": 0, "O2": 100, "O36": 0, "I4": 20.0, "I9": 95.0, "E3": 40.0},
            recommendations={"O1": "เผยแพร่โครงสร้างองค์กรบนหน้าแรกของเว็บไซต์"},
        )
        add_result(rs, world.other_agency, 91.0)
        for i, a in enumerate(extra):
            add_result(rs, a, [96.0, 86.5, 80.0, 40.0][i])
    return type("R", (), {"cycle": cycle, "old": old, "prelim": prelim, "pub": pub, "extra": extra})


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """The personas' passwords are hashed a dozen times per test; a fast hasher keeps these
    tests quick (hashing is not what they test)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
