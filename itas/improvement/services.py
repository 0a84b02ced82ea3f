"""The early warning: refresh every enrolled agency's risk of failing from what the cycle shows
now (answers, OIT items, last year), and remind an agency from the list.

The refresh reads in a fixed number of queries (the same GROUP BY passes scoring uses, the OIT
decisions, the statuses of items waiting for review, last year's totals), assesses each agency
with the pure rules of itas.improvement.risk, and replaces the cycle's rows in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from itas.accounts.queries import agency_people
from itas.core import audit
from itas.core.notifications import notify
from itas.core.permissions import require_perm
from itas.core.roles import Role
from itas.cycles.models import Cycle, CycleStatus, PhaseKind
from itas.disclosure.models import ItemAnswer, ItemStatus
from itas.disclosure.queries import oit_item_scores
from itas.frameworks.engine import indicator_from_tallies
from itas.frameworks.spec import SURVEY_TOOLS
from itas.improvement.errors import ImprovementError
from itas.improvement.models import EarlyWarning
from itas.improvement.risk import Signals, assess
from itas.scoring.models import AgencyResult, ResultSet
from itas.scoring.services import counted_answers

# The framework sets no EIT minimum; without one answer there is no EIT score and no total.
EIT_MINIMUM = 1


def elapsed_share(cycle: Cycle, today: dt.date | None = None) -> float:
    """The share of the survey phase already past (0 before it starts, 1 after it ends)."""
    today = today or timezone.localdate()
    phase = cycle.phases.filter(kind=PhaseKind.SURVEY).order_by("starts_on").first()
    if phase is None:
        return 0.0
    days = (phase.ends_on - phase.starts_on).days + 1
    return min(1.0, max(0.0, (today - phase.starts_on).days / days))


def _last_totals(cycle: Cycle) -> dict[int, float]:
    previous = Cycle.objects.real().previous(cycle)
    if previous is None:
        return {}
    rs = ResultSet.objects.filter(cycle=previous).current_published()
    if rs is None:
        return {}
    return dict(
        AgencyResult.objects.filter(result_set=rs, total__isnull=False).values_list(
            "agency_id_copy", "total"
        )
    )


def signals(cycle: Cycle, today: dt.date | None = None) -> list[tuple[tuple, Signals]]:
    """[((enrolment id, agency id, province, district), Signals)] for every enrolment."""
    spec = cycle.framework.spec
    elapsed = elapsed_share(cycle, today)
    tallies, respondents = counted_answers(cycle)
    met: dict[int, set] = defaultdict(set)
    returned: dict[int, set] = defaultdict(set)
    for enrolment_id, code, score, _rec in oit_item_scores(cycle, final=False):
        (met if score else returned)[enrolment_id].add(code)
    pending: dict[int, set] = defaultdict(set)
    for enrolment_id, code in ItemAnswer.objects.filter(
        enrolment__cycle=cycle, status=ItemStatus.SUBMITTED, latest_decision__isnull=True
    ).values_list("enrolment_id", "code"):
        pending[enrolment_id].add(code)
    last = _last_totals(cycle)
    survey = [i for i in spec.indicators if i.tool in SURVEY_TOOLS]
    out = []
    for pk, agency_id, province, district, population in cycle.enrolments.values_list(
        "pk", "agency_id", "agency__province_id", "agency__district_id", "iit_population"
    ):
        per = tallies.get(pk, {})
        indicators = {
            i.code: indicator_from_tallies(per.get(q.code) for q in spec.questions_in(i.code))
            for i in survey
        }
        out.append(
            (
                (pk, agency_id, province or "", district or ""),
                Signals(
                    elapsed=elapsed,
                    iit_respondents=respondents.get((pk, "iit"), 0),
                    eit_respondents=respondents.get((pk, "eit"), 0),
                    iit_minimum=spec.minimum_sample(population) if population else None,
                    eit_minimum=EIT_MINIMUM,
                    survey_indicators=indicators,
                    items_met=frozenset(met.get(pk, ())),
                    items_returned=frozenset(returned.get(pk, ())),
                    items_pending=frozenset(pending.get(pk, set()) - met.get(pk, set())),
                    last_total=last.get(agency_id),
                ),
            )
        )
    return out


@transaction.atomic
def refresh_warnings(actor, *, cycle: Cycle, today: dt.date | None = None) -> int:
    """Recompute the risk of every enrolled agency of an open cycle; returns the number."""
    require_perm(actor, "improvement.refresh_warnings", error=ImprovementError)
    if cycle.status != CycleStatus.OPEN or cycle.is_practice:
        # A practice round's answers count for nothing, so they warn of nothing either.
        raise ImprovementError(_("Early warnings are computed only while a cycle is open."))
    spec = cycle.framework.spec
    now = timezone.now()
    rows = []
    for (pk, agency_id, province, district), s in signals(cycle, today):
        risk = assess(spec, s)
        rows.append(
            EarlyWarning(
                cycle=cycle,
                enrolment_id=pk,
                agency_id_copy=agency_id,
                province_code=province,
                district_code=district,
                risk=risk.risk,
                projected_total=risk.projected_total,
                reasons=[[code, params] for code, params in risk.reasons],
                computed_at=now,
                elapsed=s.elapsed,
            )
        )
    with transaction.atomic():
        reminded = dict(
            EarlyWarning.objects.filter(cycle=cycle, reminded_at__isnull=False).values_list(
                "enrolment_id", "reminded_at"
            )
        )
        for row in rows:
            row.reminded_at = reminded.get(row.enrolment_id)
        EarlyWarning.objects.filter(cycle=cycle).delete()
        EarlyWarning.objects.bulk_create(rows, batch_size=2000)
        audit.record(
            actor,
            "improvement.warnings.refreshed",
            cycle,
            changes={
                "agencies": [None, len(rows)],
                "at_risk": [None, sum(r.risk >= 0.5 for r in rows)],
            },
        )
    return len(rows)


def remind_agency(actor, *, warning: EarlyWarning) -> int:
    """Tell the agency's admin and executive, in their inbox and by e-mail, that it is heading
    for a fail and why; returns the number of people told."""
    require_perm(
        actor, "improvement.remind_agency", warning.enrolment.agency, error=ImprovementError
    )
    from itas.improvement.reasons import readable

    enrolment = warning.enrolment
    agency = enrolment.agency
    people = agency_people([agency.pk], roles=(Role.AGENCY_ADMIN, Role.AGENCY_EXECUTIVE)).get(
        agency.pk, []
    )
    if not people:
        raise ImprovementError(
            _("%(agency)s has no admin or executive in ITAS to remind.") % {"agency": agency}
        )
    reasons = "; ".join(readable(warning.reasons)) or _("see the OIT board and the survey progress")
    message = _(
        "ITA %(fy)s: %(agency)s is at risk of not passing (%(risk)s %%). Reasons: %(reasons)s."
    ) % {
        "fy": warning.cycle.fiscal_year,
        "agency": agency.full_name,
        "risk": round(warning.risk * 100),
        "reasons": reasons,
    }
    with transaction.atomic():
        notify(
            recipients=people,
            message=message,
            link=reverse("disclosure:board", args=[enrolment.pk]),
            kind="improvement.warning",
        )
        warning.reminded_at = timezone.now()
        warning.save(update_fields=["reminded_at"])
        audit.record(
            actor,
            "improvement.warning.reminded",
            warning,
            changes={"recipients": [None, len(people)]},
        )
    return len(people)
