"""The credibility engine against the generator (bench/credibility.py), small: honest
agencies and one agency per planted pattern, sent through the real form, then the cycle's
re-analysis. The targets of issue 12 hold on it; `make bench` runs the larger version."""

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
