import contextlib

import pytest
from django.core.cache import cache

from itas.frameworks.services import load_shipped_framework
from tests.cycles.helpers import make_cycle


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    # A fault test may still point the cache at a Redis it has stopped.
    with contextlib.suppress(Exception):
        cache.clear()


@pytest.fixture
def framework(db):
    return load_shipped_framework()


@pytest.fixture
def cycle(world, framework):
    return make_cycle(world.nacc, framework=framework, fiscal_year=framework.fiscal_year)


@pytest.fixture
def enrolment(cycle, world):
    return cycle.enrolments.select_related("agency", "cycle").get(agency=world.agency)


def answers_for(spec, instrument: str, pick=lambda i, sub: sub.choices[-1].value) -> dict:
    """A complete POST body for the instrument: `pick(counter, subitem)` chooses each value."""
    data, i = {}, 0
    for q in spec.questions_for(instrument):
        for sub in q.subitems:
            data[f"q-{q.code}-{sub.code}"] = pick(i, sub)
            i += 1
    return data


def varied(i, sub):
    return sub.choices[(i * 7 + 3) % len(sub.choices)].value
