"""The vendored province map: every one of the 77 provinces has exactly one shape."""

import pytest

from itas.geo import svgmap
from itas.geo.models import Province

pytestmark = pytest.mark.django_db


def test_every_province_has_exactly_one_shape_and_the_lake_none():
    svgmap.shape_to_province.cache_clear()
    mapping = svgmap.shape_to_province()
    assert sorted(mapping.values()) == sorted(Province.objects.values_list("code", flat=True))
    assert len(set(mapping.values())) == len(mapping) == 77
    unmatched = {shape for shape, _label in svgmap.shapes()} - set(mapping)
    assert unmatched == {"lksg"}  # Songkhla lake: water, not a province


@pytest.mark.parametrize(
    ("shape", "code"),
    [("bkk", "10"), ("bkn", "38"), ("brm", "31"), ("pna", "82"), ("ssk", "33"), ("cmi", "50")],
)
def test_names_spelt_differently_still_meet(shape, code):
    # "Buriram"/"Buri Ram", "Phangnga"/"Phang-nga", "Si Sa Ket"
    assert svgmap.shape_to_province()[shape] == code
