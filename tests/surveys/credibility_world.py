"""A cycle of generated agencies for the credibility tests (and the bench's small run)."""

import datetime as dt

from django.utils import timezone

from itas.cycles import codes
from itas.cycles.models import Enrolment, Phase, PhaseKind


def enrol_new_agencies(cycle, count: int) -> list[Enrolment]:
    from tests.factories import AgencyFactory

    Phase.objects.filter(cycle=cycle, kind=PhaseKind.SURVEY).update(
        starts_on=timezone.localdate() - dt.timedelta(days=30)
    )
    agencies = AgencyFactory.create_batch(count)
    taken = set(cycle.enrolments.values_list("access_code", flat=True))
    return [
        Enrolment.objects.create(cycle=cycle, agency=a, access_code=code)
        for a, code in zip(agencies, codes.unique_codes(count, taken), strict=True)
    ]
