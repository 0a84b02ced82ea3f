"""What a target group needs to learn: the OIT items and IIT/EIT indicators its members miss
most, ranked by the points they cost the group (the engine's group_needs), from one result set."""

from __future__ import annotations

from dataclasses import dataclass

from itas.frameworks.engine import GroupNeed, group_needs
from itas.improvement.paths import all_inputs
from itas.scoring.models import AgencyResult, ResultSet


@dataclass
class Needs:
    result_set: ResultSet
    members: int  # members of the group with a result in the set
    failed: int
    items: list[GroupNeed]
    indicators: list[GroupNeed]


def needs_of(result_set: ResultSet, agency_ids) -> Needs:
    ids = list(
        AgencyResult.objects.filter(
            result_set=result_set, agency_id_copy__in=list(agency_ids)
        ).values_list("pk", flat=True)
    )
    members, failed = [], 0
    for row, indicators, items in all_inputs(result_set, ids):
        members.append((indicators, items))
        failed += row["passed"] is False
    spec = result_set.cycle.framework.spec
    item_needs, indicator_needs = group_needs(spec, members)
    return Needs(result_set, len(members), failed, item_needs, indicator_needs)
