"""Publication of a cycle's results: the verbs of the reports app.

A preliminary result set is recomputed in place by the scoring engine. Publishing copies it,
row for row, into a new frozen PUBLISHED version; a later correction is another published
version, and the one it replaces is marked superseded (still readable, still listed).
"""

from __future__ import annotations

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from itas.core import audit
from itas.core.permissions import require_perm
from itas.core.thaidate import format_date
from itas.cycles.models import Cycle, PhaseKind
from itas.reports.errors import ReportsError
from itas.scoring.models import (
    AgencyResult,
    IndicatorResult,
    QuestionResult,
    ResultSet,
    ResultStatus,
)


def oit_scores_confirmed(cycle: Cycle) -> bool:
    """Whether the cycle's OIT scores are confirmed and frozen, so results may be published.

    The one place that decides it: NACC confirmed the whole cycle's OIT decisions (a
    disclosure Confirmation without an enrolment), or the confirmation phase is over.
    """
    confirmations = getattr(cycle, "oit_confirmations", None)
    if confirmations is not None and confirmations.filter(enrolment__isnull=True).exists():
        return True
    phase = cycle.phases.filter(kind=PhaseKind.CONFIRMATION).first()
    return phase is not None and phase.ends_on < timezone.localdate()


@transaction.atomic
def publish_results(actor, *, cycle: Cycle, note: str = "") -> ResultSet:
    """Freeze the cycle's preliminary results as a new published version."""
    require_perm(actor, "reports.publish_results", error=ReportsError)
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.is_practice:
        raise ReportsError(_("A practice round's scores are never published."))
    if not oit_scores_confirmed(cycle):
        raise ReportsError(
            _("The OIT scores of this cycle are not confirmed yet; results cannot be published.")
        )
    source = cycle.result_sets.current_preliminary()
    if source is None or not source.agency_results.exists():
        raise ReportsError(_("There are no computed results to publish for this cycle."))
    previous = cycle.result_sets.current_published()
    if previous is not None and not note.strip():
        raise ReportsError(_("A correction needs a note that says why it is issued."))

    last_version = cycle.result_sets.order_by("-version").values_list("version", flat=True)[0]
    now = timezone.now()
    target = ResultSet.objects.create(
        cycle=cycle,
        version=last_version + 1,
        status=ResultStatus.PUBLISHED,
        computed_at=source.computed_at,
        published_at=now,
        published_by=actor if getattr(actor, "is_authenticated", False) else None,
        note=note.strip(),
        stats={**(source.stats or {}), "copied_from_version": source.version},
    )
    counts = _copy_rows(source, target)
    target.stats = {**target.stats, **counts}
    target.save(update_fields=["stats"])
    if previous is not None:
        previous.status = ResultStatus.SUPERSEDED
        previous.save(update_fields=["status"])
    # Warm the national dashboard's cache once the new version is committed (published sets
    # are frozen, so the cached numbers stay true).
    transaction.on_commit(lambda: _warm(target.pk))
    transaction.on_commit(lambda: _tell(target.pk))
    audit.record(
        actor,
        "reports.results.published",
        target,
        changes={
            "version": [None, target.version],
            "superseded": [None, previous.version if previous else None],
            "agencies": [None, counts["agencies"]],
        },
        note=note.strip(),
    )
    return target


def publication_blockers(cycle: Cycle, *, preliminary=None, run=None) -> list[str]:
    """Why the results cannot be published now (empty: they can), in the order to fix them."""
    out = []
    if not oit_scores_confirmed(cycle):
        phase = cycle.phase(PhaseKind.CONFIRMATION)
        out.append(
            _("The OIT decisions are not confirmed yet: the confirmation period ends on %(date)s.")
            % {"date": format_date(phase.ends_on)}
            if phase
            else _("The OIT decisions are not confirmed yet: no confirmation period is scheduled.")
        )
    if run is not None and run.active:
        out.append(_("A computation of the scores is running; wait for it to finish."))
    elif preliminary is None or not preliminary.agency_results.exists():
        out.append(_("No scores are computed yet: compute them first."))
    elif run is not None and run.state == "failed":
        out.append(_("The last computation failed; compute again."))
    return out


def _tell(result_set_id: int) -> None:
    from itas.reports.tasks import tell_results_published

    tell_results_published.delay(result_set_id)


def _warm(result_set_id: int) -> None:
    from itas.reports.queries import NATIONAL, dashboard

    rs = ResultSet.objects.select_related("cycle__framework").filter(pk=result_set_id).first()
    if rs is not None:
        dashboard(rs, NATIONAL)


def _columns(model, *skip: str) -> list[str]:
    """Every stored column but the key (and `skip`): a field added to a result table later is
    copied into published versions without anyone remembering to list it here."""
    skipped = {"id", *skip}
    return [f.column for f in model._meta.concrete_fields if f.name not in skipped]


def _copy_rows(source: ResultSet, target: ResultSet) -> dict[str, int]:
    """Copy agency, indicator and question rows inside the database: three INSERT … SELECT,
    the children matched to their new agency row by (result set, enrolment), which is unique."""
    qn = connection.ops.quote_name
    agency = qn(AgencyResult._meta.db_table)
    counts = {}
    with connection.cursor() as cursor:
        cols = ", ".join(qn(c) for c in _columns(AgencyResult, "result_set"))
        cursor.execute(
            f"INSERT INTO {agency} (result_set_id, {cols}) "
            f"SELECT %s, {cols} FROM {agency} WHERE result_set_id = %s",
            [target.pk, source.pk],
        )
        counts["agencies"] = cursor.rowcount
        for name, child in (("indicators", IndicatorResult), ("questions", QuestionResult)):
            columns = _columns(child, "agency_result")
            cols = ", ".join(qn(c) for c in columns)
            picked = ", ".join(f"c.{qn(c)}" for c in columns)
            cursor.execute(
                f"INSERT INTO {qn(child._meta.db_table)} (agency_result_id, {cols}) "
                f"SELECT n.id, {picked} FROM {qn(child._meta.db_table)} c "
                f"JOIN {agency} o ON o.id = c.agency_result_id "
                f"JOIN {agency} n ON n.enrolment_id = o.enrolment_id AND n.result_set_id = %s "
                "WHERE o.result_set_id = %s",
                [target.pk, source.pk],
            )
            counts[name] = cursor.rowcount
    return counts
