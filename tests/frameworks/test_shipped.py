"""The shipped framework ita-2564-lao: complete, valid, and loaded idempotently."""

import pytest

from itas.frameworks.document import spec_from_document
from itas.frameworks.errors import FrameworkInvalid
from itas.frameworks.models import Framework
from itas.frameworks.services import SHIPPED, load_shipped_framework
from itas.frameworks.validation import parse_document


@pytest.fixture(scope="module")
def spec():
    return spec_from_document(parse_document(SHIPPED.read_text(encoding="utf-8"), SHIPPED.name))


def test_codes_and_weights(spec):
    assert [q.code for q in spec.questions_for("IIT")] == [f"I{n}" for n in range(1, 31)]
    assert [q.code for q in spec.questions_for("eit")] == [f"E{n}" for n in range(1, 16)]
    assert [i.code for i in spec.oit_items] == [f"O{n}" for n in range(1, 44)]
    assert {t.code: t.weight for t in spec.tools} == {"IIT": 30, "EIT": 30, "OIT": 40}
    assert [i.weight for i in spec.indicators] == [6] * 5 + [10] * 3 + [20, 20]
    for n in range(1, 31):
        assert spec.question(f"I{n}").indicator == str((n - 1) // 6 + 1)
    for n in range(1, 16):
        assert spec.question(f"E{n}").indicator == str((n - 1) // 5 + 6)


def test_oit_items_per_subindicator(spec):
    counts = {
        s.code: len(spec.items_for(s.code))
        for i in spec.indicators_for("OIT")
        for s in i.subindicators
    }
    assert counts == {"9.1": 9, "9.2": 8, "9.3": 7, "9.4": 4, "9.5": 5, "10.1": 8, "10.2": 2}
    assert spec.oit_item("O34").indicator == "10"
    assert spec.oit_item("O34").subindicator == "10.1"
    # every item carries the common criteria after its own
    assert all(len(i.criteria) >= 5 for i in spec.oit_items)


def test_reversed_and_yes_no_items(spec):
    fully_reversed = {q.code for q in spec.questions_for("IIT") if q.reversed}
    assert {"I9", "I10", "I16", "I17", "I18", "I19", "I22"} <= fully_reversed
    i11 = spec.question("I11")
    assert [s.reversed for s in i11.subitems] == [False, True]
    assert [c.score for c in i11.subitems[1].choices] == [100, 66.67, 33.33, 0]
    for code in ("I4", "I5", "I6"):
        q = spec.question(code)
        assert q.kind == "yes_no"
        assert {c.label: c.score for c in q.subitems[0].choices} == {"มี": 0, "ไม่มี": 100}
    i26 = spec.question("I26")
    assert {c.label: c.score for c in i26.subitems[0].choices} == {"มี": 100, "ไม่มี": 0}
    assert [c.score for c in spec.question("I1").subitems[0].choices] == [0, 33.33, 66.67, 100]


def test_question_without_subitems_has_one(spec):
    i2 = spec.question("I2")
    assert len(i2.subitems) == 1
    assert i2.subitems[0].code == "1"


def test_minimum_sample_is_data(spec):
    assert spec.minimum_sample(0) == 0
    assert spec.minimum_sample(7) == 7  # small agencies: everyone
    assert spec.minimum_sample(21) == 20
    assert spec.minimum_sample(5000) == 100
    assert spec.sample_note  # says it is not the official table


@pytest.mark.django_db
def test_load_shipped_is_idempotent():
    first = load_shipped_framework()
    second = load_shipped_framework()
    assert first.pk == second.pk
    assert Framework.objects.count() == 1
    assert first.spec.code == "ita-2564-lao"
    assert first.spec.fiscal_year == 2564


def test_each_oit_item_names_the_officer_function_it_goes_to(spec):
    """The map from OIT items to officer functions is framework data, not code: the shipped
    file gives each sub-indicator a function and the procurement items their own."""
    from itas.core.roles import Function
    from itas.frameworks.spec import FUNCTIONS

    assert set(FUNCTIONS) == set(Function.values)
    by_code = {i.code: i.function for i in spec.oit_items}
    assert {by_code[c] for c in ("O21", "O22", "O23", "O24")} == {"procurement"}
    assert by_code["O20"] == "finance"  # 9.3 without its own function
    assert by_code["O1"] == "website"
    assert set(by_code.values()) == set(FUNCTIONS)


def test_a_function_outside_the_list_is_a_problem_with_its_path():
    text = SHIPPED.read_text(encoding="utf-8").replace(
        'subindicator: "9.3", function: procurement', 'subindicator: "9.3", function: treasury', 1
    )
    with pytest.raises(FrameworkInvalid) as caught:
        parse_document(text, "x.yaml")
    assert "oit.items[O21].function" in str(caught.value.problems[0].path)


def test_a_document_without_functions_falls_back_to_the_website_officer():
    doc = parse_document(SHIPPED.read_text(encoding="utf-8"), SHIPPED.name)
    for ind in doc["indicators"]:
        for sub in ind.get("subindicators") or []:
            sub.pop("function", None)
    for item in doc["oit"]["items"]:
        item.pop("function", None)
    assert {i.function for i in spec_from_document(doc).oit_items} == {"website"}
