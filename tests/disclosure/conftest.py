"""An OIT cycle for the `world` personas: framework ita-2564-lao, both agencies enrolled, and
`oit.open(kind)` to move the calendar so that exactly that phase is open today."""

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from django.utils import timezone

from itas.cycles.models import Cycle, CycleStatus, Enrolment, Phase, PhaseKind
from itas.frameworks.models import Framework

FLOW = [
    PhaseKind.OIT_ANSWERS,
    PhaseKind.OIT_REVIEW,
    PhaseKind.CLARIFICATION,
    PhaseKind.CONFIRMATION,
]
YAML = Path(__file__).resolve().parents[2] / "itas" / "frameworks" / "data" / "ita-2564-lao.yaml"


def make_framework(code="ita-2564-lao", fiscal_year=2564):
    try:
        from itas.frameworks.services import load_shipped_framework

        fw = load_shipped_framework()
        if fw.fiscal_year == fiscal_year:
            return fw
    except ImportError:
        pass
    fw, _ = Framework.objects.get_or_create(
        code=code,
        defaults={
            "fiscal_year": fiscal_year,
            "name": code,
            "document": yaml.safe_load(YAML.read_text()),
        },
    )
    return fw


def open_phase(cycle: Cycle, kind: str) -> None:
    """Exactly `kind` is open today; the phases before it have ended, the ones after not begun."""
    today = timezone.localdate()
    at = FLOW.index(kind)
    for i, k in enumerate(FLOW):
        offset = (i - at) * 10
        Phase.objects.update_or_create(
            cycle=cycle,
            kind=k,
            defaults={
                "starts_on": today + dt.timedelta(days=offset - 4),
                "ends_on": today + dt.timedelta(days=offset + 4),
            },
        )
    if hasattr(cycle, "_prefetched_objects_cache"):
        cycle._prefetched_objects_cache.clear()


def make_cycle(fiscal_year=2565, framework=None):
    fw = framework or make_framework()
    return Cycle.objects.create(
        fiscal_year=fiscal_year, name=f"ITA {fiscal_year}", framework=fw, status=CycleStatus.OPEN
    )


@pytest.fixture
def oit(world):
    cycle = make_cycle()
    open_phase(cycle, PhaseKind.OIT_ANSWERS)
    enrolment = Enrolment.objects.create(cycle=cycle, agency=world.agency, access_code="AAA111")
    other = Enrolment.objects.create(cycle=cycle, agency=world.other_agency, access_code="BBB222")
    return SimpleNamespace(
        cycle=cycle,
        enrolment=enrolment,
        other_enrolment=other,
        open=lambda kind: open_phase(cycle, kind),
    )
