"""Which shape of the vendored province map (npm @svg-maps/thailand, CC BY 4.0) is which province.

The SVG names its 78 shapes with its own short ids ("bkk", "bkn", … and "lksg", the Songkhla
lake) and an English `aria-label`. Our provinces are keyed by their TIS 1099 code. The labels are
matched against the English names we hold, compared without case, spaces or punctuation, so
"Buriram" meets "Buri Ram" and "Phangnga" meets "Phang-nga"; a shape that names no province
(the lake) is left out. tests/geo/test_svgmap.py proves every one of the 77 provinces has a shape.
"""

import re
from functools import lru_cache
from xml.etree import ElementTree

from django.contrib.staticfiles import finders

SVG_PATH = "vendor/svg-maps-thailand/thailand.svg"
SVG_NS = "{http://www.w3.org/2000/svg}"


def _key(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.lower())


def shapes() -> list[tuple[str, str]]:
    """(id, English label) of every shape in the vendored SVG, in file order."""
    path = finders.find(SVG_PATH)
    if not path:
        raise FileNotFoundError(SVG_PATH)
    root = ElementTree.parse(path).getroot()
    return [
        (el.get("id"), el.get("aria-label") or "")
        for el in root.iter(f"{SVG_NS}path")
        if el.get("id")
    ]


@lru_cache(maxsize=1)
def shape_to_province() -> dict[str, str]:
    """{SVG shape id: province code} for every shape that is a province."""
    from itas.geo.models import Province

    by_name = {_key(name): code for code, name in Province.objects.values_list("code", "name_en")}
    return {shape: by_name[_key(label)] for shape, label in shapes() if _key(label) in by_name}
