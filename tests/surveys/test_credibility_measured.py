"""The credibility engine against the generator (bench/credibility.py), small: honest
agencies and one agency per planted pattern, sent through the real form, then the cycle's
re-analysis. The targets of issue 12 hold on it; `make bench` runs the larger version."""

import os

import pytest

from bench import credibility as gen
from itas.surveys.credibility import services
from tests.surveys.credibility_world import enrol_new_agencies

pytestmark = pytest.mark.django_db


def test_planted_agencies_are_found_and_honest_ones_are_left_alone(world, cycle):
    enrolments = enrol_new_agencies(cycle, 18 + len(gen.PATTERNS))
    agencies = gen.run(enrolments, cycle.framework.spec, honest_count=18, per_pattern=1, seed=7)
    services.analyse_cycle(services.start_run(world.nacc, cycle=cycle))
    result = gen.measure(agencies)
    print(gen.table(result))
    overall = result["overall"]
    assert overall["recall"] >= 0.9
    assert overall["precision"] >= 0.9
    assert result["patterns"]["honest"]["flagged"] == 0
    assert overall["removed_share"] >= 0.9


@pytest.mark.skipif(
    not os.environ.get("ITAS_CREDIBILITY_BENCH"),
    reason="the bench size takes minutes: make bench-credibility",
)
def test_at_bench_size(world, cycle):
    """100 honest agencies and 5 of each planted pattern (`make bench-credibility`): the
    table of docs/benchmarks.md, and the issue's targets."""
    honest, per = 100, 5
    enrolments = enrol_new_agencies(cycle, honest + per * len(gen.PATTERNS))
    agencies = gen.run(enrolments, cycle.framework.spec, honest_count=honest, per_pattern=per)
    services.analyse_cycle(services.start_run(world.nacc, cycle=cycle))
    result = gen.measure(agencies)
    print(gen.table(result))
    overall = result["overall"]
    assert overall["precision"] >= 0.9 and overall["recall"] >= 0.9
    assert overall["honest_flagged"] <= 0.02
    assert overall["removed_share"] >= 0.9
