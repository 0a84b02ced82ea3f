"""The arithmetic of ITA against the published worked example, the grade boundaries, missing
data, and properties that must hold for any answers (hypothesis)."""

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itas.frameworks import engine
from itas.frameworks.document import spec_from_document
from itas.frameworks.engine import (
    QuestionTally,
    oit_indicator,
    question_score,
    score_agency,
    weighted_contribution,
)
from itas.frameworks.services import SHIPPED
from itas.frameworks.spec import round2
from itas.frameworks.validation import parse_document

SPEC = spec_from_document(parse_document(SHIPPED.read_text(encoding="utf-8"), SHIPPED.name))


def oit_items(failed=()):
    return {i.code: (0.0 if i.code in failed else 100.0) for i in SPEC.oit_items}


def full_tallies(score=100.0, count=10):
    return {q.code: QuestionTally(score, count) for q in SPEC.questions}


# -- the published worked example (FY2564 table) ---------------------------------------------


def test_worked_example_oit_contribution_93_50_and_100():
    assert round2(weighted_contribution([(20, 93.50), (20, 100)])) == 38.70


def test_worked_example_oit_contribution_97_78_and_93_75():
    assert round2(weighted_contribution([(20, 97.78), (20, 93.75)])) == 38.31


def test_worked_example_from_items():
    # 9.1 all 9, 9.2 7 of 8, 9.3 all, 9.4 all, 9.5 4 of 5 → indicator 9 = 93.50;
    # 10.1 and 10.2 all → indicator 10 = 100; the OIT contribution is 38.70.
    items = oit_items(failed={"O17", "O33"})
    nine, subs = oit_indicator(SPEC, "9", items)
    assert subs == {"9.1": 100, "9.2": 87.5, "9.3": 100, "9.4": 100, "9.5": 80}
    assert nine == pytest.approx(93.5)
    scores = score_agency(SPEC, questions=full_tallies(), oit_items=items)
    assert scores.indicators["10"] == 100
    assert round2(scores.contributions["OIT"]) == 38.70


def test_worked_example_indicator_10_is_equal_weight_mean_of_subindicators():
    # 10.1 loses one of its 8 items (87.5), 10.2 keeps both (100): 93.75, not 9/10 = 90.
    # 9.1 loses one of its 9 items: (88.89 + 4 × 100) / 5 = 97.78. Contribution 38.31.
    items = oit_items(failed={"O36", "O5"})
    ten, _ = oit_indicator(SPEC, "10", items)
    assert ten == pytest.approx(93.75)
    nine, _ = oit_indicator(SPEC, "9", items)
    assert round2(nine) == 97.78
    scores = score_agency(SPEC, questions=full_tallies(), oit_items=items)
    assert round2(scores.contributions["OIT"]) == 38.31


# -- grades ---------------------------------------------------------------------------------

BOUNDARIES = [
    (100, "AA", True),
    (95.00, "AA", True),
    (94.99, "A", True),
    (85.00, "A", True),
    (84.99, "B", False),
    (75.00, "B", False),
    (74.99, "C", False),
    (65.00, "C", False),
    (64.99, "D", False),
    (55.00, "D", False),
    (54.99, "E", False),
    (50.00, "E", False),
    (49.99, "F", False),
    (0, "F", False),
]


@pytest.mark.parametrize(("total", "grade", "passed"), BOUNDARIES)
def test_grade_boundaries(total, grade, passed):
    result = SPEC.grade(total, {"IIT": 100, "EIT": 100, "OIT": 100})
    assert (result.grade, result.passed) == (grade, passed)


def test_grading_uses_half_up_rounding_of_the_total():
    assert SPEC.grade(84.995).grade == "A"  # shows as 85.00: passes
    assert SPEC.grade(84.99499).grade == "B"  # shows as 84.99
    assert SPEC.grade(94.995).grade == "AA"


@pytest.mark.parametrize(
    ("total", "tools", "label"),
    [
        (96, {"IIT": 95, "EIT": 95, "OIT": 95}, "ผ่านดีเยี่ยม"),
        (96, {"IIT": 94.99, "EIT": 99, "OIT": 99}, "ผ่านดี"),
        (90, {"IIT": 85, "EIT": 85, "OIT": 99}, "ผ่านดี"),
        (90, {"IIT": 84.99, "EIT": 99, "OIT": 99}, "ผ่าน"),
        (85, {"IIT": 50, "EIT": 99, "OIT": 99}, "ผ่าน"),
        (84.99, {"IIT": 99, "EIT": 99, "OIT": 99}, "ต้องปรับปรุง"),
        (70, {}, "ต้องปรับปรุง"),
        (69.99, {}, "ต้องปรับปรุงโดยด่วน"),
    ],
)
def test_newer_labelling(total, tools, label):
    assert SPEC.grade(total, tools).label == label


# -- reversed and yes/no items --------------------------------------------------------------


def test_reversed_question_scores_the_other_way():
    i9 = SPEC.question("I9")  # spending for private benefit
    assert question_score(i9, {"1": "least"}) == 100
    assert question_score(i9, {"1": "little"}) == 66.67
    assert question_score(i9, {"1": "much"}) == 33.33
    assert question_score(i9, {"1": "most"}) == 0


def test_yes_no_items():
    i4 = SPEC.question("I4")  # asked for money, property, other benefits
    assert question_score(i4, {"1": "no", "2": "no", "3": "no"}) == 100
    assert question_score(i4, {"1": "yes", "2": "no", "3": "no"}) == pytest.approx(200 / 3)
    assert question_score(SPEC.question("I26"), {"1": "yes"}) == 100
    assert question_score(SPEC.question("I26"), {"1": "no"}) == 0


# -- roll-up and missing data ---------------------------------------------------------------


def test_indicator_is_mean_over_all_answers():
    tallies = full_tallies()
    # indicator 1: I1 averages 50 over 10 answers, I2 averages 80 over 30 answers, rest 100 × 10
    tallies["I1"] = QuestionTally(50, 10)
    tallies["I2"] = QuestionTally(80, 30)
    scores = score_agency(SPEC, questions=tallies, oit_items=oit_items())
    expected = (50 * 10 + 80 * 30 + 100 * 10 * 4) / (10 + 30 + 40)
    assert scores.indicators["1"] == pytest.approx(expected)
    assert scores.tools["IIT"] == pytest.approx((expected * 6 + 100 * 24) / 30)


def test_no_iit_respondents_means_no_iit_and_no_total():
    tallies = {q.code: QuestionTally(100, 5) for q in SPEC.questions_for("EIT")}
    scores = score_agency(SPEC, questions=tallies, oit_items=oit_items())
    assert scores.tools["IIT"] is None
    assert scores.indicators["1"] is None
    assert scores.tools["EIT"] == 100
    assert scores.tools["OIT"] == 100
    assert scores.total is None
    assert scores.grade is None


def test_incomplete_oit_review_is_missing_not_zero():
    items = oit_items()
    del items["O43"]
    scores = score_agency(SPEC, questions=full_tallies(), oit_items=items)
    assert scores.subindicators["10.2"] is None
    assert scores.indicators["10"] is None
    assert scores.indicators["9"] == 100
    assert scores.tools["OIT"] is None
    assert scores.total is None


def test_perfect_agency():
    scores = score_agency(SPEC, questions=full_tallies(), oit_items=oit_items())
    assert scores.total == pytest.approx(100)
    assert (scores.grade.grade, scores.grade.label, scores.grade.passed) == (
        "AA",
        "ผ่านดีเยี่ยม",
        True,
    )


# -- properties -----------------------------------------------------------------------------


def answers_strategy(question):
    return st.fixed_dictionaries(
        {s.code: st.sampled_from([c.value for c in s.choices]) for s in question.subitems}
    )


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_every_question_score_is_within_0_and_100(data):
    question = data.draw(st.sampled_from(SPEC.questions))
    score = question_score(question, data.draw(answers_strategy(question)))
    assert 0 <= score <= 100


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_choosing_a_better_scored_choice_never_lowers_the_score(data):
    question = data.draw(st.sampled_from(SPEC.questions))
    chosen = data.draw(answers_strategy(question))
    sub = data.draw(st.sampled_from(question.subitems))
    current = sub.choice(chosen[sub.code]).score
    better = [c for c in sub.choices if c.score >= current]
    new_value = data.draw(st.sampled_from(better)).value
    assert question_score(question, {**chosen, sub.code: new_value}) >= question_score(
        question, chosen
    )


tally = st.builds(
    QuestionTally,
    mean=st.floats(min_value=0, max_value=100),
    count=st.integers(min_value=1, max_value=500),
)
all_tallies = st.fixed_dictionaries({q.code: tally for q in SPEC.questions})
all_items = st.fixed_dictionaries({i.code: st.sampled_from([0.0, 100.0]) for i in SPEC.oit_items})


@settings(max_examples=150, deadline=None)
@given(tallies=all_tallies, items=all_items)
def test_all_scores_within_range_and_total_is_the_weighted_sum(tallies, items):
    scores = score_agency(SPEC, questions=tallies, oit_items=items)
    for value in [*scores.indicators.values(), *scores.tools.values(), scores.total]:
        assert value is not None
        assert -1e-9 <= value <= 100 + 1e-9
    weighted = sum(i.weight * scores.indicators[i.code] for i in SPEC.indicators) / 100
    assert scores.total == pytest.approx(weighted)
    by_tools = sum(t.weight * scores.tools[t.code] for t in SPEC.tools) / 100
    assert scores.total == pytest.approx(by_tools)


@settings(max_examples=150, deadline=None)
@given(tallies=all_tallies, items=all_items, data=st.data())
def test_raising_one_answer_never_lowers_any_score(tallies, items, data):
    before = score_agency(SPEC, questions=tallies, oit_items=items)
    code = data.draw(st.sampled_from(sorted(tallies)))
    old = tallies[code]
    raised = data.draw(st.floats(min_value=old.mean, max_value=100))
    # the same answers to one question, scored higher; and, separately, one failed OIT item
    # passing
    changed = {**tallies, code: QuestionTally(raised, old.count)}
    after = score_agency(SPEC, questions=changed, oit_items=items)
    flipped = dict(items)
    failed = [c for c, v in items.items() if v == 0]
    if failed:
        flipped[data.draw(st.sampled_from(failed))] = 100.0
    after_oit = score_agency(SPEC, questions=tallies, oit_items=flipped)
    for new in (after, after_oit):
        for key, value in before.indicators.items():
            assert new.indicators[key] >= value - 1e-9
        for key, value in before.tools.items():
            assert new.tools[key] >= value - 1e-9
        assert new.total >= before.total - 1e-9


# -- purity: the engine needs no Django ----------------------------------------------------


def test_engine_and_spec_import_nothing_from_django():
    root = Path(engine.__file__).resolve().parents[1]
    for path in (root / "frameworks" / "engine.py", root / "frameworks" / "spec.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
        names += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
        assert not [n for n in names if n.split(".")[0] in {"django", "rest_framework", "celery"}]
        assert all(n.split(".")[0] != "itas" or n == "itas.frameworks.spec" for n in names), names


def test_engine_runs_in_a_process_where_django_cannot_be_imported():
    root = Path(engine.__file__).resolve().parents[2]
    script = f"""
import sys, types, importlib.abc
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name == "django" or name.startswith("django."):
            raise ImportError("django is blocked in this test")
sys.meta_path.insert(0, Block())
# packages without their __init__ (itas/__init__.py starts Celery, which pulls in Django)
for name, sub in (("itas", ""), ("itas.frameworks", "frameworks"), ("itas.scoring", "scoring")):
    module = types.ModuleType(name)
    module.__path__ = [{str(root / "itas")!r} + ("/" + sub if sub else "")]
    sys.modules[name] = module
from itas.frameworks.engine import question_score, score_agency
from itas.frameworks.spec import round2
assert round2(38.306) == 38.31
assert not any(m == "django" or m.startswith("django.") for m in sys.modules)
print("pure")
"""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "pure"
