"""The verbs of the credibility engine: re-analyse a cycle (a background job with progress),
exclude or restore the responses behind a reason, ask an agency to explain.

The re-analysis reads the database set-based: one GROUP BY per instrument for the cycle's
honest picture, then the responses and arrival buckets of a chunk of agencies at a time, and
writes one AgencyRisk row per agency and instrument (an upsert per chunk).
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections import defaultdict
from statistics import median

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Avg, Count, F, FloatField, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from itas.core import audit, jobs
from itas.core.permissions import require_perm
from itas.cycles.models import Cycle, CycleStatus, Enrolment
from itas.surveys.credibility import signals
from itas.surveys.credibility.models import (
    AgencyRisk,
    CredibilityRun,
    ExplanationRequest,
    RunStatus,
)
from itas.surveys.errors import CredibilityError, SurveyError
from itas.surveys.models import Answer, ArrivalBucket, Response

CHUNK = 400


def _fill_scores(cycle: Cycle) -> int:
    """Rows stored before the evidence existed (or loaded in bulk) get their score from their
    answers: one UPDATE."""
    mean = (
        Answer.objects.filter(response=OuterRef("pk"))
        .order_by()
        .values("response")
        .annotate(m=Avg("score"))
        .values("m")
    )
    filled = Response.objects.filter(enrolment__cycle=cycle, mean_score__isnull=True).update(
        mean_score=Subquery(mean, output_field=FloatField())
    )
    if filled and connection.vendor == "postgresql":
        # PostgreSQL's statistics still say the column is all NULL until autovacuum comes
        # round; with them the baseline's GROUP BY was planned as a nested loop over every
        # response per agency (more than 25 minutes on a national cycle instead of seconds).
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(Response._meta.db_table)}")
    return filled


def _baselines(cycle: Cycle) -> dict[str, signals.Baseline]:
    """Per instrument: the cycle's honest picture from per-agency aggregates (one GROUP BY)."""
    rows = (
        Response.objects.filter(enrolment__cycle=cycle, excluded=False, mean_score__isnull=False)
        .order_by()
        .values(
            "enrolment_id",
            "instrument",
            "enrolment__agency__kind",
            "enrolment__agency__province_id",
        )
        .annotate(
            n=Count("id"),
            m=Avg("mean_score"),
            m2=Avg(F("mean_score") * F("mean_score")),
            best=Count("id", filter=Q(all_best=True)),
        )
    )
    per: dict[str, list] = defaultdict(list)
    for r in rows:
        per[r["instrument"]].append(r)
    previous = _past_means(cycle)
    out = {}
    for instrument, agg in per.items():
        big = [a for a in agg if a["n"] >= 5]
        peer_means: dict = defaultdict(list)
        for a in agg:
            peer_means[(a["enrolment__agency__kind"], a["enrolment__agency__province_id"])].append(
                a["m"]
            )
        if not big:
            out[instrument] = signals.Baseline(peer_means=dict(peer_means))
            continue
        means = [a["m"] for a in big]
        within = [math.sqrt(max(0.0, a["m2"] - a["m"] ** 2)) for a in big]
        centre = median(means)
        between = 1.4826 * median(abs(m - centre) for m in means)
        within_sd = max(median(within), signals.SD_FLOOR)
        out[instrument] = signals.Baseline(
            mean=centre,
            sd=max(math.sqrt(within_sd**2 + between**2), signals.SD_FLOOR),
            best_share=max(0.02, 1.5 * median((a["best"] or 0) / a["n"] for a in big)),
            within_sd=within_sd,
            peer_means=dict(peer_means),
            past_means=previous.get(instrument, {}),
        )
    return out


def _past_means(cycle: Cycle) -> dict[str, dict[int, float]]:
    """{instrument: {agency id: mean score}} of the agency's previous cycle."""
    previous = Cycle.objects.real().previous(cycle)
    if previous is None:
        return {}
    out: dict[str, dict[int, float]] = defaultdict(dict)
    for agency_id, instrument, m in (
        Response.objects.filter(enrolment__cycle=previous, excluded=False)
        .order_by()
        .values_list("enrolment__agency_id", "instrument")
        .annotate(m=Avg("mean_score"))
    ):
        if m is not None:
            out[instrument][agency_id] = m
    return out


def _rows(enrolment_ids: list[int]):
    out: dict[tuple[int, str], list[signals.Row]] = defaultdict(list)
    for pk, e, inst, hour, device, network, token, sheet, score, best in (
        Response.objects.filter(enrolment_id__in=enrolment_ids, excluded=False)
        .order_by()
        .values_list(
            "id",
            "enrolment_id",
            "instrument",
            "submitted_hour",
            "abuse_hash",
            "network_hash",
            "token_status",
            "sheet",
            "mean_score",
            "all_best",
        )
    ):
        out[(e, inst)].append(
            signals.Row(pk, hour, device, network, token, sheet, score or 0.0, best)
        )
    buckets: dict[tuple[str, str], list] = defaultdict(list)
    for kind, value, slot, count in ArrivalBucket.objects.filter(
        enrolment_id__in=enrolment_ids
    ).values_list("kind", "hash", "slot", "count"):
        buckets[(kind, value)].append((slot, count))
    return out, buckets


def assess(rows, base, buckets, *, peer_key, agency_id) -> dict:
    """The AgencyRisk fields for one agency and instrument."""
    reasons = signals.reasons_for(
        rows, base, buckets=buckets, peer_key=peer_key, agency_id=agency_id
    )
    risk = signals.risk_of(reasons)
    behind = {i for r in reasons if r.flagged for i in r.ids}
    scores = [r.score for r in rows]
    kept = [r.score for r in rows if r.id not in behind]
    reasons.sort(key=lambda r: (not r.flagged, -r.weight, -len(r.ids)))
    return {
        "risk": risk,
        "flagged": risk >= signals.FLAG_RISK,
        "responses": len(rows),
        "score": sum(scores) / len(scores) if scores else None,
        "score_without": sum(kept) / len(kept) if kept else None,
        "behind": len(behind),
        "reasons": [r.as_json() for r in reasons],
    }


def start_run(actor, *, cycle: Cycle) -> CredibilityRun:
    require_perm(actor, "surveys.run_credibility", cycle, error=CredibilityError)
    if cycle.status != CycleStatus.OPEN:
        raise CredibilityError(
            _("The cycle is closed: its device hashes are erased, so it cannot be re-analysed.")
        )
    with transaction.atomic():
        run = CredibilityRun.objects.create(cycle=cycle, started_by=actor)
        audit.record(actor, "surveys.credibility.started", cycle, changes={"run": [None, run.pk]})
    return run


def analyse_cycle(run: CredibilityRun) -> CredibilityRun:
    """Recompute every signal of the run's cycle, agency by agency, with progress. Runs only if
    this delivery claims the row (a redelivered message or the sweep's copy finds it taken)."""
    if not jobs.claim(CredibilityRun, run.pk, RUN_STATES):
        run.refresh_from_db()
        return run
    started = time.perf_counter()
    cycle = run.cycle
    enrolments = list(
        Enrolment.objects.filter(cycle=cycle)
        .order_by("pk")
        .values_list("pk", "agency_id", "agency__kind", "agency__province_id")
    )
    jobs.beat(CredibilityRun, run.pk, total=len(enrolments), done=0)
    try:
        _fill_scores(cycle)
        bases = _baselines(cycle)
        read = 0
        for start in range(0, len(enrolments), CHUNK):
            chunk = enrolments[start : start + CHUNK]
            rows, buckets = _rows([e[0] for e in chunk])
            upserts = []
            for pk, agency_id, kind, province_id in chunk:
                for instrument, base in bases.items():
                    members = rows.get((pk, instrument), [])
                    read += len(members)
                    fields = assess(
                        members,
                        base,
                        buckets,
                        peer_key=(kind, province_id),
                        agency_id=agency_id,
                    )
                    upserts.append(
                        AgencyRisk(enrolment_id=pk, instrument=instrument, run=run, **fields)
                    )
            AgencyRisk.objects.bulk_create(
                upserts,
                update_conflicts=True,
                unique_fields=["enrolment", "instrument"],
                update_fields=[
                    "run",
                    "risk",
                    "flagged",
                    "responses",
                    "score",
                    "score_without",
                    "behind",
                    "reasons",
                    "computed_at",
                ],
            )
            jobs.beat(CredibilityRun, run.pk, done=start + len(chunk))
    except Exception as exc:
        CredibilityRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        raise
    CredibilityRun.objects.filter(pk=run.pk).update(
        status=RunStatus.DONE,
        finished_at=timezone.now(),
        responses=read,
        seconds=round(time.perf_counter() - started, 2),
    )
    run.refresh_from_db()
    return run


RUN_STATES = jobs.JobStates(
    field="status", queued=RunStatus.QUEUED, running=RunStatus.RUNNING, failed=RunStatus.FAILED
)
RUN_ATTEMPTS = 3


def requeue_stranded_runs() -> dict[str, int]:
    """The beat's sweep: re-analyses whose worker died or whose message was lost. Only an open
    cycle's (a closed cycle's hashes are gone, so its stranded runs can only fail)."""
    # Beat has no request: what the sweep stores is read by NACC in the site's language.
    with translation.override(settings.LANGUAGE_CODE):
        from itas.surveys.credibility.tasks import reanalyse_cycle

        closed = CredibilityRun.objects.filter(
            status__in=[RunStatus.QUEUED, RunStatus.RUNNING]
        ).exclude(cycle__status=CycleStatus.OPEN)
        closed.update(
            status=RunStatus.FAILED,
            error=str(_("The cycle closed before this re-analysis finished.")),
            finished_at=timezone.now(),
        )
        return jobs.requeue_stranded(
            CredibilityRun,
            RUN_STATES,
            send=reanalyse_cycle.delay,
            max_attempts=RUN_ATTEMPTS,
            give_up_message=str(
                _("The re-analysis stopped three times without finishing; start it again.")
            ),
        )


def is_current(cycle: Cycle) -> bool:
    """A finished run that started after the last response arrived (hours are what is stored:
    a run in the same hour as the last answer does not count as after it)."""
    last = (
        CredibilityRun.objects.filter(cycle=cycle, status=RunStatus.DONE)
        .order_by("-created_at")
        .first()
    )
    if last is None:
        return False
    newest = (
        Response.objects.filter(enrolment__cycle=cycle)
        .order_by("-submitted_hour")
        .values_list("submitted_hour", flat=True)
        .first()
    )
    return newest is None or last.created_at >= newest + dt.timedelta(hours=1)


def refresh_risk(risk: AgencyRisk) -> AgencyRisk:
    """After an exclusion: the agency's score now and without the flagged responses, from
    what counts now (the reasons stay as the analysis found them)."""
    counted = dict(
        Response.objects.filter(
            enrolment_id=risk.enrolment_id, instrument=risk.instrument, excluded=False
        ).values_list("id", "mean_score")
    )
    behind = risk.flagged_ids()
    kept = [s for i, s in counted.items() if i not in behind and s is not None]
    scores = [s for s in counted.values() if s is not None]
    risk.responses = len(counted)
    risk.score = sum(scores) / len(scores) if scores else None
    risk.score_without = sum(kept) / len(kept) if kept else None
    risk.save(update_fields=["responses", "score", "score_without", "computed_at"])
    return risk


def set_reason_excluded(
    actor, *, risk: AgencyRisk, code: str, excluded: bool, reason: str = ""
) -> int:
    """Exclude (or restore) every response behind one reason: never deleted, one audit entry
    for the agency naming the reason and the count, then the agency's figures recomputed."""
    require_perm(actor, "surveys.exclude_response", risk.enrolment, error=SurveyError)

    note = (reason or "").strip()[:500]
    if excluded and not note:
        raise SurveyError(_("Give a reason for excluding these responses."))
    found = next((r for r in risk.reasons if r["code"] == code), None)
    if found is None or not found.get("ids"):
        raise SurveyError(_("This reason has no responses behind it."))
    with transaction.atomic():
        changed = Response.objects.filter(
            pk__in=found["ids"], enrolment_id=risk.enrolment_id, excluded=not excluded
        ).update(excluded=excluded)
        audit.record(
            actor,
            "surveys.responses.excluded" if excluded else "surveys.responses.restored",
            risk.enrolment,
            changes={"reason": [None, code], "responses": [None, changed]},
            note=note,
        )
        refresh_risk(risk)
    return changed


def ask_explanation(actor, *, enrolment: Enrolment, message: str) -> ExplanationRequest:
    """Ask the agency to explain its answers: a row the agency sees, an audit entry, a
    notification to its admins and executives (no response is named: the agency must not be
    able to find a respondent from it)."""
    require_perm(actor, "surveys.exclude_response", enrolment, error=SurveyError)
    from itas.accounts.queries import agency_people
    from itas.core.notifications import notify
    from itas.core.roles import Role

    text = " ".join((message or "").split())[:2000]
    if not text:
        raise SurveyError(_("Write what the agency should explain."))
    with transaction.atomic():
        request = ExplanationRequest.objects.create(
            enrolment=enrolment, asked_by=actor, message=text
        )
        audit.record(actor, "surveys.explanation.asked", enrolment, note=text[:500])
        people = agency_people(
            [enrolment.agency_id], roles=(Role.AGENCY_ADMIN, Role.AGENCY_EXECUTIVE)
        )
        notify(
            recipients=people.get(enrolment.agency_id, []),
            message=_("NACC asks %(agency)s to explain its IIT/EIT answers: %(text)s")
            % {"agency": enrolment.agency, "text": text[:300]},
            link=reverse("surveys:explanations", args=[enrolment.pk]),
            kind="surveys.explanation",
        )
    return request


MAX_REPLY = 4000


def reply_explanation(actor, *, request: ExplanationRequest, reply: str) -> ExplanationRequest:
    """The agency's answer to a request to explain: text only, once (the request and its reply
    stay as written), an audit entry, a notification to whoever asked. The row is locked so
    two admins answering at once cannot both write."""
    require_perm(actor, "surveys.reply_explanation", request.enrolment, error=SurveyError)
    from itas.core.notifications import notify

    text = (reply or "").strip()
    if not text:
        raise SurveyError(_("Write the agency's explanation."))
    if len(text) > MAX_REPLY:
        raise SurveyError(
            _("The explanation is too long: at most %(n)s characters.") % {"n": MAX_REPLY}
        )
    with transaction.atomic():
        locked = ExplanationRequest.objects.select_for_update().get(pk=request.pk)
        if locked.replied_at is not None:
            raise SurveyError(_("This request has already been answered."))
        locked.reply = text
        locked.replied_at = timezone.now()
        locked.save(update_fields=["reply", "replied_at"])
        enrolment = locked.enrolment
        audit.record(
            actor,
            "surveys.explanation.replied",
            enrolment,
            changes={"request": [None, locked.pk]},
            note=text[:500],
        )
        notify(
            recipients=[locked.asked_by],
            message=_("%(agency)s has answered your request to explain: %(text)s")
            % {"agency": enrolment.agency, "text": text[:300]},
            link=reverse("surveys:credibility_agency", args=[enrolment.pk]),
            kind="surveys.explanation.reply",
        )
    return locked


def counts_by_status(cycle: Cycle) -> dict[str, int]:
    """How many responses of the cycle carry each start-token status (the 'marked and
    counted' of submissions without a valid token)."""
    return dict(
        Response.objects.filter(enrolment__cycle=cycle)
        .exclude(token_status="")
        .order_by()
        .values_list("token_status")
        .annotate(n=Count("id"))
    )


__all__ = [
    "CredibilityError",
    "analyse_cycle",
    "ask_explanation",
    "assess",
    "counts_by_status",
    "is_current",
    "refresh_risk",
    "reply_explanation",
    "set_reason_excluded",
    "requeue_stranded_runs",
    "start_run",
]
