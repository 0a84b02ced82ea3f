"""The early warning's rules (pure) and its back-test on generated cycles."""

import pytest

from itas.frameworks.document import spec_from_document
from itas.frameworks.services import SHIPPED
from itas.frameworks.validation import parse_document
from itas.improvement.backtest import Score, generate, observe, run
from itas.improvement.risk import PeerMove, Signals, assess, peer_moves, projected_count

SPEC = spec_from_document(parse_document(SHIPPED.read_text(encoding="utf-8"), SHIPPED.name))
ITEMS = frozenset(i.code for i in SPEC.oit_items)
SURVEY = {i.code: 95.0 for i in SPEC.indicators if i.tool in ("IIT", "EIT")}


def test_an_agency_on_track_is_not_warned():
    s = Signals(
        elapsed=0.8,
        iit_respondents=40,
        eit_respondents=60,
        iit_minimum=30,
        eit_minimum=1,
        survey_indicators=SURVEY,
        items_met=ITEMS,
        last_total=92.0,
    )
    risk = assess(SPEC, s)
    # 0.6 × 95 + 40 = 97, pulled slightly towards last year's 92
    assert risk.projected_total == pytest.approx(0.92 * 97 + 0.08 * 92, abs=0.01)
    assert risk.risk < 0.05 and not risk.will_fail
    assert risk.reasons == ()


def test_no_answers_late_in_the_phase_is_a_warning_with_its_reason():
    s = Signals(elapsed=0.8, iit_minimum=30, eit_minimum=1, items_met=ITEMS, last_total=92.0)
    risk = assess(SPEC, s)
    assert risk.will_fail and risk.risk >= 0.86
    codes = [c for c, _p in risk.reasons]
    assert codes.count("sample_short") == 2
    iit = next(p for c, p in risk.reasons if c == "sample_short" and p["tool"] == "IIT")
    assert iit == {"tool": "IIT", "n": 0, "minimum": 30, "projected": 0}


def test_missing_and_returned_items_lower_the_projection():
    base = dict(elapsed=0.5, iit_respondents=20, eit_respondents=20, iit_minimum=10,
                eit_minimum=1, survey_indicators={c: 80.0 for c in SURVEY})  # fmt: skip
    full = assess(SPEC, Signals(**base, items_met=ITEMS))
    returned = assess(
        SPEC,
        Signals(**base, items_met=ITEMS - {"O42", "O43"}, items_returned=frozenset({"O42", "O43"})),
    )
    # 10 points of items returned keep only 15 % of their worth: 8.5 points less
    assert full.projected_total - returned.projected_total == pytest.approx(8.5)
    assert returned.risk > full.risk
    assert ("oit_returned", {"count": 2}) in returned.reasons


def test_projected_count_follows_the_pace():
    assert projected_count(10, 0.5) == 20
    assert projected_count(10, 1.0) == 10
    assert projected_count(0, 0.9) == 0


def test_precision_and_recall_from_the_confusion_matrix():
    s = Score(0.5)
    for predicted, failed in (
        [(True, True)] * 3 + [(True, False)] + [(False, True)] * 2 + [(False, False)]
    ):
        s.add(predicted, failed)
    assert (s.tp, s.fp, s.fn, s.tn) == (3, 1, 2, 1)
    assert s.precision == 0.75 and s.recall == 0.6


def test_observe_sees_only_what_arrived():
    agency = generate(SPEC, 1, seed=3)[0]
    early, late = observe(SPEC, agency, 0.3), observe(SPEC, agency, 0.9)
    assert early.iit_respondents <= late.iit_respondents
    assert len(early.items_met | early.items_returned) <= len(late.items_met | late.items_returned)
    assert early.iit_respondents == sum(1 for t, _s in agency.iit if t <= 0.3)


def test_backtest_is_reproducible_and_counts_every_agency():
    a = run(SPEC, agencies=200, seed=7)
    b = run(SPEC, agencies=200, seed=7)
    for at, score in a["checkpoints"].items():
        other = b["checkpoints"][at]
        assert (score.tp, score.fp, score.fn, score.tn) == (other.tp, other.fp, other.fn, other.tn)
        assert score.tp + score.fp + score.fn + score.tn == 200
        assert score.tp + score.fn == a["failed"]


def test_peers_are_the_same_type_in_the_province_else_nationwide_never_itself():
    groups = {f"p{i}": ("sao", "38") for i in range(6)}  # six SAOs of Bueng Kan
    groups |= {f"t{i}": ("town", "38") for i in range(2)}  # two towns there...
    groups |= {f"n{i}": ("town", "50") for i in range(4)}  # ...and four elsewhere
    groups["x"] = ("pao", "38")  # the only PAO
    before = {a: 90.0 for a in groups}
    after = {f"p{i}": 90.0 - 2 * i for i in range(6)} | {a: 88.0 for a in groups if a[0] != "p"}
    moved = peer_moves(groups, before, after, pass_mark=85.0)
    # p0 stays at 90; its five peers moved by -2..-10 (p3, p4, p5 fell below 85)
    assert moved["p0"] == PeerMove("province", 5, -6.0, passed=5, fell=3, failed=0, rose=0)
    # p5 (-10, fell) is left out of its own peers: -0..-8, two of five fell
    assert moved["p5"] == PeerMove("province", 5, -4.0, passed=5, fell=2, failed=0, rose=0)
    assert moved["p5"].fell_share == pytest.approx(0.4)
    # Two towns in the province are too few: the five other towns nationwide
    assert moved["t0"].scope == "national" and moved["t0"].count == 5
    assert "x" not in moved  # no other PAO anywhere


def test_peers_that_fell_lower_last_years_weight_and_are_a_reason():
    base = dict(elapsed=0.3, iit_respondents=5, eit_respondents=5, iit_minimum=10,
                eit_minimum=1, survey_indicators={c: 86.0 for c in SURVEY},
                items_met=ITEMS, last_total=90.0)  # fmt: skip
    fell = PeerMove("province", 8, -6.0, passed=8, fell=4, failed=0, rose=0)
    alone, moved = assess(SPEC, Signals(**base)), assess(SPEC, Signals(**base, peers=fell))
    # last year's 90 is read as 90 - 0.5 × 6 = 87, at a weight of 0.4 × 0.7
    assert alone.projected_total - moved.projected_total == pytest.approx(0.28 * 3.0, abs=0.01)
    assert moved.risk > alone.risk
    assert (
        "peers_moved",
        {"total": 90.0, "scope": "province", "n": 8, "share": 50, "change": -6.0},
    ) in moved.reasons
    # Peers that held up say nothing (the agency passed last year)
    steady = PeerMove("province", 8, 1.0, passed=8, fell=0, failed=0, rose=0)
    assert not any(
        c.startswith("peers") for c, _p in assess(SPEC, Signals(**base, peers=steady)).reasons
    )


def test_backtest_reports_the_rules_with_and_without_the_peers():
    r = run(SPEC, agencies=200, seed=7)
    assert set(r["without_peers"]) == set(r["checkpoints"])
    for at, score in r["without_peers"].items():
        assert (
            score.tp + score.fn == r["failed"] == r["checkpoints"][at].tp + r["checkpoints"][at].fn
        )
    assert r["with_peers"] > 150  # most generated agencies have peers of their type


def test_without_trends_the_generator_is_the_one_before_group_trends():
    """The same agencies and outcomes, with or without group trends (only last year's totals
    move), so the back-test's figures compare like with like."""
    plain, moved = generate(SPEC, 50, seed=5, trends=False), generate(SPEC, 50, seed=5)
    assert [a.items for a in plain] == [a.items for a in moved]
    assert [a.level for a in plain] == [a.level for a in moved]
    assert [a.last_total for a in plain] != [a.last_total for a in moved]
