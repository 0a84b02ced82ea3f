"""Near-identical answer sheets (credibility/similar.py), on plain rows: a sheet passed around
and touched up is found, an agency where everyone is content with everything is not."""

import random

from itas.surveys.credibility import signals
from itas.surveys.credibility.similar import near_groups, reach

ITEMS = 50


def person(rng, level, noise=0.18):
    answers = [round(3 * min(1.0, max(0.0, level + rng.gauss(0, noise)))) for _ in range(ITEMS)]
    return "".join(map(str, answers))


def row(i, sheet):
    score = 100 * sum(int(c) for c in sheet) / (3 * len(sheet))
    return signals.Row(i, None, "", "", "ok", sheet, score, False)


def honest(rng, n, quality, *, person_sd=0.12, noise=0.18, start=0):
    return [row(start + i, person(rng, quality + rng.gauss(0, person_sd), noise)) for i in range(n)]


def touched_up(rng, template, copies, start):
    out = []
    for i in range(copies):
        sheet = list(template)
        for j in rng.sample(range(ITEMS), rng.randint(1, 4)):
            sheet[j] = rng.choice([c for c in "0123" if c != sheet[j]])
        out.append(row(start + i, "".join(sheet)))
    return out


def test_the_reach_is_a_tenth_of_the_items_at_least_one():
    assert reach(50) == 5 and reach(19) == 1 and reach(5) == 1


def test_a_touched_up_sheet_passed_around_is_found_and_only_it():
    rng = random.Random(4)
    staff = honest(rng, 30, 0.6)
    ring = touched_up(rng, person(rng, 0.9), 12, start=1000)
    assert len({r.sheet for r in ring}) > 1  # no exact copies needed
    groups = near_groups(staff + ring)
    assert len(groups) == 1
    assert {r.id for r in groups[0].rows} == {r.id for r in ring}
    assert groups[0].expected < 1


def test_a_content_agency_whose_sheets_are_alike_honestly_is_left_alone():
    for seed in range(6):
        rng = random.Random(seed)
        # everyone near the top, little noise: most sheets within 5 answers of one another
        rows = honest(rng, 80, 0.95, person_sd=0.04, noise=0.10)
        assert near_groups(rows) == []


def test_a_group_that_does_not_raise_the_score_is_no_reason():
    rng = random.Random(6)
    staff = honest(rng, 30, 0.8)
    ring = touched_up(rng, person(rng, 0.3), 12, start=1000)
    assert near_groups(staff + ring) == []


def test_the_reason_in_the_agency_s_reasons_names_the_group_and_the_expected_count():
    rng = random.Random(7)
    staff = honest(rng, 30, 0.6)
    ring = touched_up(rng, person(rng, 0.9), 12, start=1000)
    reasons = {r.code: r for r in signals.reasons_for(staff + ring, signals.Baseline())}
    near = reasons["near_identical"]
    assert near.flagged and set(near.ids) == {r.id for r in ring}
    assert near.params["groups"] == 1 and near.params["differ"] == 5
    assert near.params["items"] == 50 and near.params["expected"] < 1
    assert signals.risk_of(list(reasons.values())) >= signals.FLAG_RISK
