"""What an agency's scorecard shows, built once for the page and the PDF."""

from __future__ import annotations

from dataclasses import dataclass, field

from itas.agencies.models import Agency, AgencyKind
from itas.frameworks.engine import outcome
from itas.frameworks.spec import round2
from itas.improvement.paths import AgencyPath, agency_path
from itas.reports.labels import DEFAULT_TOOLS, labels_for
from itas.reports.queries import current_public_set, previous_cycle, rank
from itas.scoring.models import AgencyResult, ResultSet, ResultStatus

WEAKEST = 5
PASS_MARK = 85.0


@dataclass
class Bar:
    code: str
    name: str
    score: float | None
    previous: float | None = None
    tool: str = ""

    @property
    def width(self) -> float:
        return max(0.0, min(100.0, self.score or 0.0))

    @property
    def previous_width(self) -> float:
        return max(0.0, min(100.0, self.previous or 0.0))

    @property
    def change(self) -> float | None:
        if self.score is None or self.previous is None:
            return None
        return round(self.score - self.previous, 2)


@dataclass
class Scorecard:
    agency: Agency
    result_set: ResultSet
    result: AgencyResult
    previous: AgencyResult | None
    previous_fy: int | None
    tools: list[Bar] = field(default_factory=list)
    indicators: list[Bar] = field(default_factory=list)
    failed_items: list[dict] = field(default_factory=list)
    weakest: list[dict] = field(default_factory=list)
    rank_province: tuple[int, int] | None = None
    rank_kind: tuple[int, int] | None = None
    pass_mark: float = PASS_MARK
    path: AgencyPath | None = None
    labels: object = None

    @property
    def path_rows(self) -> dict:
        """The path to pass with names, for the page and the PDF."""
        if self.path is None:
            return {}
        labels = self.labels
        p = self.path.path
        targets = []
        for t in p.targets:
            targets.append(
                {
                    "target": t,
                    "items": [{"code": c, "text": labels.question(c)} for c in t.items],
                    "total_after": None if t.total_after is None else round2(t.total_after),
                }
            )
        return {
            "complete": p.complete,
            "current": p.current,
            "best": p.best_by_oit,
            "targets": targets,
            "gains": [
                {"code": g.code, "text": labels.question(g.code), "points": g.points}
                for g in p.gains
            ],
            "shortfalls": [
                {"code": s.code, "name": labels.indicator(s.code), "s": s}
                for s in self.path.shortfalls[:3]
            ],
            "unscored": [c for c, v in self.path.inputs[1].items() if v is None]
            + [g.code for g in p.gains if g.code not in self.path.inputs[1]],
        }

    def what_if(self, ticked: set[str]):
        """The total and grade with the ticked items met: the engine's rules, on the server."""
        if self.path is None:
            return None
        indicators, items = self.path.inputs
        return outcome(
            self.result_set.cycle.framework.spec,
            survey_indicators=indicators,
            oit_items=items,
            met=ticked,
        )

    @property
    def preliminary(self) -> bool:
        return self.result_set.status == ResultStatus.PRELIMINARY

    @property
    def superseded(self) -> bool:
        return self.result_set.status == ResultStatus.SUPERSEDED

    @property
    def kind_name(self) -> str:
        return str(AgencyKind(self.agency.kind).label) if self.agency.kind else ""

    @property
    def total_change(self) -> float | None:
        if self.previous is None or self.previous.total is None or self.result.total is None:
            return None
        return round(self.result.total - self.previous.total, 2)


def build(agency: Agency, rs: ResultSet) -> Scorecard | None:
    result = (
        AgencyResult.objects.filter(result_set=rs, agency_id_copy=agency.pk)
        .prefetch_related("indicators", "questions")
        .first()
    )
    if result is None:
        return None
    cycle = rs.cycle
    labels = labels_for(cycle)
    # A practice score is compared with nothing: last year's results are not its past.
    prev_cycle = None if cycle.is_practice else previous_cycle(cycle)
    prev_set = current_public_set(prev_cycle)
    previous = None
    if prev_set is not None:
        previous = (
            AgencyResult.objects.filter(result_set=prev_set, agency_id_copy=agency.pk)
            .prefetch_related("indicators")
            .first()
        )
    prev_ind = {i.indicator_code: i.score for i in previous.indicators.all()} if previous else {}

    card = Scorecard(
        agency=agency,
        result_set=rs,
        result=result,
        previous=previous,
        previous_fy=prev_cycle.fiscal_year if previous else None,
        pass_mark=_pass_mark(cycle),
        labels=labels,
    )
    card.path = agency_path(rs, result)
    for tool in DEFAULT_TOOLS:
        card.tools.append(
            Bar(
                code=tool,
                name=labels.tools.get(tool, tool),
                score=getattr(result, tool.lower()),
                previous=getattr(previous, tool.lower()) if previous else None,
                tool=tool,
            )
        )
    scores = {i.indicator_code: i.score for i in result.indicators.all()}
    order = [c for c in labels.indicator_order if c in scores] + sorted(
        (c for c in scores if c not in labels.indicator_order), key=_natural
    )
    for code in order:
        card.indicators.append(
            Bar(
                code=code,
                name=labels.indicator(code),
                score=scores[code],
                previous=prev_ind.get(code),
                tool=labels.tool_of(code),
            )
        )
    questions = sorted(result.questions.all(), key=lambda q: _natural(q.code))
    for q in questions:
        tool = labels.tool_of(q.code)
        row = {
            "code": q.code,
            "text": labels.question(q.code),
            "score": q.score,
            "recommendation": q.recommendation,
            "tool": tool,
            "responses": q.responses,
        }
        if tool == "OIT" and q.score is not None and q.score < 100:
            card.failed_items.append(row)
    card.weakest = sorted(
        (
            {
                "code": q.code,
                "text": labels.question(q.code),
                "score": q.score,
                "tool": labels.tool_of(q.code),
            }
            for q in questions
            if labels.tool_of(q.code) in ("IIT", "EIT") and q.score is not None
        ),
        key=lambda r: (r["score"], _natural(r["code"])),
    )[:WEAKEST]
    card.rank_province = rank(rs, result, province_code=result.province_code)
    card.rank_kind = rank(rs, result, agency_kind=result.agency_kind)
    return card


def _natural(code: str) -> tuple:
    head = code.rstrip("0123456789.")
    tail = code[len(head) :]
    try:
        return (head, float(tail) if tail else 0.0, code)
    except ValueError:
        return (head, 0.0, code)


def _pass_mark(cycle) -> float:
    return labels_for(cycle).pass_mark
