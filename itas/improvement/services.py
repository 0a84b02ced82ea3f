"""The early warning: refresh every enrolled agency's risk of failing from what the cycle shows
now (answers, OIT items, last year and how agencies like it moved), and remind an agency from
the list.

The refresh reads in a fixed number of queries (the same GROUP BY passes scoring uses, the OIT
decisions, the statuses of items waiting for review, last year's totals and the totals its
peers moved between), assesses each agency with the pure rules of itas.improvement.risk, and
replaces the cycle's rows in one transaction. It runs in the background (start_refresh queues a
WarningRun for a Celery worker, which keeps its progress; the beat refreshes every open cycle
periodically); without a broker the task runs at once in the process that asks.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from itas.accounts.queries import agency_people
from itas.core import audit, jobs
from itas.core.notifications import notify
from itas.core.permissions import require_perm
from itas.core.roles import Role
from itas.cycles.models import Cycle, CycleStatus, PhaseKind
from itas.disclosure.models import ItemAnswer, ItemStatus
from itas.disclosure.queries import oit_item_scores
from itas.frameworks.engine import indicator_from_tallies
from itas.frameworks.spec import SURVEY_TOOLS
from itas.improvement.errors import ImprovementError
from itas.improvement.models import EarlyWarning, WarningRun
from itas.improvement.risk import PeerMove, Signals, assess, peer_moves
from itas.scoring.models import AgencyResult, ResultSet, RunState
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


Totals = dict[int, tuple[float, str, str]]  # agency: (total, type, province)


def _totals(rs: ResultSet | None) -> Totals:
    if rs is None:
        return {}
    return {
        agency: (float(total or 0.0), kind, province)
        for agency, total, kind, province in AgencyResult.objects.filter(
            result_set=rs, total__isnull=False
        ).values_list("agency_id_copy", "total", "agency_kind", "province_code")
    }


def _published_before(cycle: Cycle, n: int) -> list[Totals]:
    """The published totals of the `n` real cycles before this one, latest first ({} where a
    cycle has none)."""
    earlier = (
        Cycle.objects.real().filter(fiscal_year__lt=cycle.fiscal_year).order_by("-fiscal_year")
    )[:n]
    out = [_totals(ResultSet.objects.filter(cycle=c).current_published()) for c in earlier]
    return out + [{}] * (n - len(out))


def _last_totals(cycle: Cycle) -> dict[int, float]:
    return {a: t for a, (t, _k, _p) in _published_before(cycle, 1)[0].items()}


def _peers(
    cycle: Cycle, agencies: dict[int, tuple[str, str]], last: Totals, before_last: Totals
) -> dict[int, PeerMove]:
    """How agencies like each one moved: from last year to this cycle's preliminary results
    where those have enough of its peers, else from the year before last to last year."""
    pass_mark = cycle.framework.spec.grading.pass_mark
    now = _totals(ResultSet.objects.filter(cycle=cycle).current_preliminary())
    moved: dict[int, PeerMove] = {}
    for before, after in ((before_last, last), (last, now)):  # the later pair wins
        if not before or not after:
            continue
        groups = {a: (kind, province) for a, (_t, kind, province) in after.items()}
        groups.update(agencies)
        found = peer_moves(
            groups,
            {a: t for a, (t, _k, _p) in before.items()},
            {a: t for a, (t, _k, _p) in after.items()},
            pass_mark=pass_mark,
        )
        moved.update({a: m for a, m in found.items() if a in agencies})
    return moved


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
    last, before_last = _published_before(cycle, 2)
    enrolments = list(
        cycle.enrolments.values_list(
            "pk",
            "agency_id",
            "agency__province_id",
            "agency__district_id",
            "iit_population",
            "agency__kind",
        )
    )
    moved = _peers(cycle, {e[1]: (e[5], e[2] or "") for e in enrolments}, last, before_last)
    survey = [i for i in spec.indicators if i.tool in SURVEY_TOOLS]
    out = []
    for pk, agency_id, province, district, population, _kind in enrolments:
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
                    last_total=last[agency_id][0] if agency_id in last else None,
                    peers=moved.get(agency_id),
                ),
            )
        )
    return out


def _check_open(cycle: Cycle) -> None:
    if cycle.status != CycleStatus.OPEN or cycle.is_practice:
        # A practice round's answers count for nothing, so they warn of nothing either.
        raise ImprovementError(_("Early warnings are computed only while a cycle is open."))


def refresh_warnings(
    actor,
    *,
    cycle: Cycle,
    today: dt.date | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> int:
    """Recompute the risk of every enrolled agency of an open cycle; returns the number. The
    reads need no transaction; the rows are replaced in one (so a worker's progress, written
    between the steps, is seen while it runs)."""
    require_perm(actor, "improvement.refresh_warnings", error=ImprovementError)
    _check_open(cycle)
    tell = progress or (lambda step, percent: None)
    tell("reading", 10)
    spec = cycle.framework.spec
    now = timezone.now()
    rows = []
    found = signals(cycle, today)
    tell("assessing", 50)
    for (pk, agency_id, province, district), s in found:
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
    tell("saving", 80)
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


# --- in the background ----------------------------------------------------------------------

WARNING_RUN_STATES = jobs.JobStates(
    field="state", queued=RunState.QUEUED, running=RunState.RUNNING, failed=RunState.FAILED
)
WARNING_RUN_ATTEMPTS = 3


def start_refresh(actor, *, cycle: Cycle) -> tuple[WarningRun, bool]:
    """Queue a refresh of the cycle's early warning for a worker; (run, True). While one is
    queued or running, that one is returned instead, (run, False): a second click, or the beat
    meeting a refresh started by hand, never starts a second one."""
    require_perm(actor, "improvement.refresh_warnings", error=ImprovementError)
    _check_open(cycle)
    with transaction.atomic():
        # The cycle's row is the lock: two requests at once queue one run between them.
        Cycle.objects.select_for_update().filter(pk=cycle.pk).first()
        busy = WarningRun.objects.filter(
            cycle=cycle, state__in=[RunState.QUEUED, RunState.RUNNING]
        ).first()
        if busy is not None:
            return busy, False
        run = WarningRun.objects.create(cycle=cycle, started_by=actor)
        audit.record(actor, "improvement.warnings.refresh_started", run)
        transaction.on_commit(lambda: _queue(run.pk))
    return run, True


def _queue(run_id: int) -> None:
    from itas.improvement.tasks import run_warning_refresh

    run_warning_refresh.delay(run_id)


def run_refresh(run_id: int) -> str:
    """The task's body: refresh, keeping the run's step and percent current. Runs only if this
    delivery claims the row (a redelivered message or the sweep's copy finds it taken)."""
    if not jobs.claim(WarningRun, run_id, WARNING_RUN_STATES, percent=5):
        return WarningRun.objects.values_list("state", flat=True).get(pk=run_id)
    run = WarningRun.objects.select_related("cycle__framework", "started_by").get(pk=run_id)

    def tell(step: str, percent: int) -> None:
        jobs.beat(WarningRun, run_id, step=step, percent=percent)

    started = timezone.now()
    try:
        n = refresh_warnings(actor=run.started_by, cycle=run.cycle, progress=tell)
    except Exception as exc:  # noqa: BLE001 - the page must say it failed, not spin forever
        WarningRun.objects.filter(pk=run_id).update(
            state=RunState.FAILED, error=str(exc)[:1000], finished_at=timezone.now()
        )
        if isinstance(exc, ImprovementError):
            return RunState.FAILED
        raise
    at_risk = EarlyWarning.objects.filter(cycle=run.cycle, risk__gte=0.5).count()
    finished = timezone.now()
    WarningRun.objects.filter(pk=run_id).update(
        state=RunState.DONE,
        percent=100,
        step="",
        stats={
            "agencies": n,
            "at_risk": at_risk,
            "seconds": round((finished - started).total_seconds(), 1),
        },
        finished_at=finished,
    )
    return RunState.DONE


def requeue_stranded_runs() -> dict[str, int]:
    """The beat's sweep: refreshes whose worker died or whose message was lost."""
    return jobs.requeue_stranded(
        WarningRun,
        WARNING_RUN_STATES,
        send=_queue,
        max_attempts=WARNING_RUN_ATTEMPTS,
        give_up_message=gettext_lazy(
            "The refresh stopped three times without finishing; start it again."
        ),
    )


def refresh_open_cycles() -> list[int]:
    """The beat's periodic refresh: every open (not practice) cycle gets a refresh unless one is
    already queued or running; returns the runs queued."""
    queued = []
    for cycle in Cycle.objects.real().filter(status=CycleStatus.OPEN, is_practice=False):
        if cycle.framework_id is None:
            continue
        run, created = start_refresh(None, cycle=cycle)
        if created:
            queued.append(run.pk)
    return queued


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
