"""question_score: the mean of one respondent's sub-item choices, strict about bad input."""

import pytest

from itas.frameworks.document import spec_from_document
from itas.frameworks.engine import question_score
from itas.frameworks.services import SHIPPED
from itas.frameworks.validation import parse_document


@pytest.fixture(scope="module")
def spec():
    return spec_from_document(parse_document(SHIPPED.read_text(encoding="utf-8"), SHIPPED.name))


def test_mean_of_subitems(spec):
    assert question_score(spec.question("I1"), {"1": "most", "2": "much"}) == pytest.approx(83.335)


def test_reversed_subitem(spec):
    # I11: transparent procurement (normal) and favouring a vendor (reversed)
    assert question_score(spec.question("I11"), {"1": "most", "2": "least"}) == 100
    assert question_score(spec.question("I11"), {"1": "most", "2": "most"}) == 50


def test_missing_or_unknown(spec):
    with pytest.raises(ValueError):
        question_score(spec.question("I1"), {"1": "most"})
    with pytest.raises(ValueError):
        question_score(spec.question("I1"), {"1": "most", "2": "sometimes"})
    with pytest.raises(ValueError):
        question_score(spec.question("I2"), {"1": "most", "9": "most"})
