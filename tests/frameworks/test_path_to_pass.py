"""The inverse questions of the engine: what each OIT item is worth, the fewest items reaching
the pass mark and each higher band, and how far IIT/EIT must rise where OIT alone cannot.

Worked by hand with the shipped FY2564 framework: indicator 9 (20 points) has five
sub-indicators of 4 points each, indicator 10 (20 points) two of 10 points each, so an item of
9.1 (9 items) is worth 4/9, of 9.4 (4 items) 1 point, of 10.2 (2 items) 5 points."""

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itas.frameworks.document import spec_from_document
from itas.frameworks.engine import (
    QuestionTally,
    group_needs,
    item_worth,
    outcome,
    path_to_pass,
    score_agency,
    shortfalls,
)
from itas.frameworks.services import SHIPPED
from itas.frameworks.spec import round2
from itas.frameworks.validation import parse_document

SPEC = spec_from_document(parse_document(SHIPPED.read_text(encoding="utf-8"), SHIPPED.name))
SURVEY = [i.code for i in SPEC.indicators if i.tool in ("IIT", "EIT")]
ITEMS = [i.code for i in SPEC.oit_items]


def survey(level):
    return {c: float(level) for c in SURVEY}


def items(unmet=()):
    return {c: (0.0 if c in unmet else 100.0) for c in ITEMS}


def test_item_worth_follows_the_weights():
    worth = item_worth(SPEC)
    assert worth["O1"] == pytest.approx(4 / 9)  # 9.1: 9 items share 4 points
    assert worth["O10"] == pytest.approx(0.5)  # 9.2: 8 items
    assert worth["O25"] == pytest.approx(1.0)  # 9.4: 4 items
    assert worth["O34"] == pytest.approx(1.25)  # 10.1: 8 items share 10 points
    assert worth["O42"] == pytest.approx(5.0)  # 10.2: 2 items
    assert sum(worth.values()) == pytest.approx(40.0)  # the OIT weight


def test_worked_example_oit_alone_reaches_85_but_not_95():
    # IIT and EIT at 80 give 48 points; OIT misses 10.2 (10 points) and 9.4 (4 points): 74.
    unmet = {"O42", "O43", "O25", "O26", "O27", "O28"}
    path = path_to_pass(SPEC, survey_indicators=survey(80), oit_items=items(unmet))
    assert path.current.total_rounded == 74.0
    assert path.current.grade.passed is False
    assert [g.code for g in path.gains[:3]] == ["O42", "O43", "O25"]
    assert path.gains[0].points == pytest.approx(5.0)
    pass_target, aa = path.targets
    # 74 + 5 + 5 = 84 is not enough; one item of 9.4 (1 point) makes 85.00.
    assert (pass_target.grade, pass_target.mark) == ("A", 85.0)
    assert pass_target.items == ("O42", "O43", "O25")
    assert round2(pass_target.total_after) == 85.0
    assert pass_target.by_oit_alone
    # Everything met gives 48 + 40 = 88: AA (95) needs 7 more points from IIT/EIT, which is
    # 7 / 0.60 = 11.67 points more on every IIT and EIT indicator.
    assert (aa.grade, aa.by_oit_alone) == ("AA", False)
    assert aa.survey_points == pytest.approx(7.0)
    assert aa.survey_rise == pytest.approx(7 / 0.6)
    assert round2(path.best_by_oit.total) == 88.0


def test_worked_example_no_oit_set_is_enough():
    # IIT and EIT at 60 give 36 points; even all 43 items (40 points) make 76: no OIT set
    # reaches 85, and IIT/EIT must bring 9 more points, 15 points on every indicator.
    path = path_to_pass(SPEC, survey_indicators=survey(60), oit_items=items({"O1", "O30"}))
    target = path.targets[0]
    assert target.mark == 85.0
    assert target.by_oit_alone is False
    assert set(target.items) == {"O1", "O30"}  # all of them, and still short
    assert round2(path.best_by_oit.total) == 76.0
    assert target.survey_points == pytest.approx(9.0)
    assert target.survey_rise == pytest.approx(15.0)


def test_an_agency_that_passes_already():
    path = path_to_pass(SPEC, survey_indicators=survey(90), oit_items=items({"O1"}))
    assert path.targets[0].reached
    assert path.targets[0].items == ()
    aa = path.targets[1]
    # 54 + 40 - 4/9 = 93.56; O1 brings 4/9 to 94.00, still short of 95 by one point.
    assert aa.by_oit_alone is False
    assert aa.survey_points == pytest.approx(1.0)


def test_the_mark_is_reached_by_rounding_as_grading_does():
    # IIT indicator 1 (6 points) a twelfth of a point lower takes 0.005 off: 47.995 from
    # IIT/EIT, 32 from OIT (O42 and three items of 9.4 unmet) = 79.995. O42 makes 84.995,
    # which rounds half-up to 85.00 and passes: the path must not ask for a second item.
    ind = survey(80)
    ind["1"] = 80 - 0.005 / 0.06
    path = path_to_pass(SPEC, survey_indicators=ind, oit_items=items({"O42", "O25", "O26", "O27"}))
    assert path.current.total == pytest.approx(79.995)
    target = path.targets[0]
    assert target.items == ("O42",)
    assert target.total_after == pytest.approx(84.995)
    assert round2(target.total_after) == 85.0


def test_missing_iit_or_eit_means_no_path():
    ind = survey(80)
    ind["6"] = None
    path = path_to_pass(SPEC, survey_indicators=ind, oit_items=items())
    assert not path.complete
    assert path.targets == ()


def test_unscored_items_count_as_not_met():
    scored = items()
    del scored["O42"]
    assert outcome(SPEC, survey_indicators=survey(80), oit_items=scored).total == pytest.approx(
        48 + 35
    )


def test_shortfalls_name_the_indicators_furthest_below_peers():
    mine = survey(70)
    mine["3"], mine["7"] = 50.0, 65.0
    peers = survey(72)
    out = shortfalls(SPEC, mine, peers)
    assert [s.code for s in out[:2]] == ["3", "7"]
    assert out[0].gap == pytest.approx(-22.0)
    assert all(s.gap < 0 for s in out)


def test_group_needs_rank_items_by_points_lost():
    members = [
        (survey(80), items({"O42", "O1"})),
        (survey(90), items({"O42"})),
        (survey(70), items({"O1", "O2", "O3"})),
    ]
    item_needs, indicator_needs = group_needs(SPEC, members)
    assert item_needs[0].code == "O42"
    assert item_needs[0].agencies == 2 and item_needs[0].points == pytest.approx(10.0)
    o1 = next(n for n in item_needs if n.code == "O1")
    assert o1.agencies == 2 and o1.points == pytest.approx(8 / 9)
    # indicators 6-8 weigh 10 points: at 80, 90 and 70 they keep 2 + 1 + 3 points from the group
    six = next(n for n in indicator_needs if n.code == "6")
    assert six.points == pytest.approx(6.0)
    assert indicator_needs[0].kind == "indicator"
    assert indicator_needs[0].code in {"6", "7", "8"}


# -- properties over the whole framework ---------------------------------------------------

tallies = st.fixed_dictionaries(
    {
        q.code: st.builds(
            QuestionTally,
            st.floats(min_value=0, max_value=100, allow_nan=False),
            st.integers(1, 50),
        )
        for q in SPEC.questions
    }
)
item_sets = st.sets(st.sampled_from(ITEMS))


@settings(max_examples=60, deadline=None)
@given(tallies, item_sets, item_sets)
def test_what_if_equals_the_scoring_roll_up(questions, unmet, ticked):
    """The what-if (outcome) and scoring (score_agency) agree for every choice of items."""
    base = items(unmet)
    scored = score_agency(SPEC, questions=questions, oit_items=base)
    indicators = {c: scored.indicators[c] for c in SURVEY}
    after = {**base, **{c: 100.0 for c in ticked}}
    expected = score_agency(SPEC, questions=questions, oit_items=after)
    got = outcome(SPEC, survey_indicators=indicators, oit_items=base, met=ticked)
    assert got.total == pytest.approx(expected.total, abs=1e-9)
    assert got.total_rounded == expected.total_rounded
    assert got.grade == expected.grade


@settings(max_examples=60, deadline=None)
@given(st.floats(min_value=40, max_value=100), item_sets)
def test_the_chosen_set_is_the_smallest(level, unmet):
    path = path_to_pass(SPEC, survey_indicators=survey(level), oit_items=items(unmet))
    worth = item_worth(SPEC)
    for target in path.targets:
        if target.reached or not target.by_oit_alone:
            continue
        after = outcome(
            SPEC, survey_indicators=survey(level), oit_items=items(unmet), met=target.items
        )
        assert round2(after.total) >= target.mark
        # No set one item smaller reaches the mark: the best such set is the largest worths.
        k = len(target.items) - 1
        best_smaller = sorted((worth[c] for c in unmet), reverse=True)[:k]
        assert round2(path.current.total + sum(best_smaller)) < target.mark


def test_exhaustive_smallest_set_on_a_small_case():
    # Against brute force over every subset of six unmet items.
    unmet = ["O1", "O10", "O25", "O34", "O42", "O30"]
    base = items(unmet)
    ind = survey(79)
    path = path_to_pass(SPEC, survey_indicators=ind, oit_items=base)
    target = path.targets[0]
    smallest = None
    for k in range(len(unmet) + 1):
        for combo in itertools.combinations(unmet, k):
            t = outcome(SPEC, survey_indicators=ind, oit_items=base, met=combo).total
            if round2(t) >= 85:
                smallest = k
                break
        if smallest is not None:
            break
    assert len(target.items) == smallest


@given(
    mark=st.sampled_from([85.0, 95.0, 50.0]),
    offset=st.floats(min_value=-2e-6, max_value=2e-6, allow_nan=False),
    ulps=st.integers(min_value=-3, max_value=3),
)
def test_the_fast_mark_check_is_grading_s_rounding(mark, offset, ulps):
    """path_to_pass compares floats away from a mark's rounding edge and asks round2 near it:
    the same answer as round2(total) >= mark everywhere, the edge (84.995) included."""
    import math

    from itas.frameworks.engine import _reaches

    total = mark - 0.005 + offset
    for _ in range(abs(ulps)):
        total = math.nextafter(total, math.inf if ulps > 0 else -math.inf)
    assert _reaches(total, mark) == (round2(total) >= mark)
    assert _reaches(mark - 0.005, mark) and not _reaches(mark - 0.0051, mark)


def test_item_worth_is_computed_once_per_spec_and_not_shared_for_writing():
    first = item_worth(SPEC)
    first["O1"] = 0.0  # a caller's copy: the engine's own table is untouched
    assert item_worth(SPEC)["O1"] > 0
    from itas.frameworks.engine import _plan

    assert _plan(SPEC) is _plan(SPEC)  # derived once, then read
