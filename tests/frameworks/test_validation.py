"""A broken framework file is refused whole, with every problem named by file and path."""

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from itas.frameworks.errors import FrameworkInvalid
from itas.frameworks.models import Framework
from itas.frameworks.services import SHIPPED
from itas.frameworks.validation import parse_document, validate_document


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def shipped() -> dict:
    return yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))


def problems_of(doc) -> list[str]:
    return [f"{p.path}: {p.message}" for p in validate_document(doc)]


def test_shipped_file_is_valid():
    assert problems_of(shipped()) == []


def broken() -> dict:
    doc = shipped()
    doc["tools"][0]["weight"] = 35  # tools add to 105; IIT's indicators weigh 30
    doc["questions"][1]["code"] = "I1"  # duplicate
    doc["questions"][2]["kind"] = "scale7"  # no such scale, no choices of its own
    doc["scales"]["scale4"][3]["score"] = 120  # outside 0–100
    doc["grading"]["bands"][1]["min"] = 86  # gap between B (…84.99) and A (86…)
    doc["grading"]["bands"][3]["max"] = 76  # overlap between C (…76) and B (75…)
    doc["oit"]["items"][0]["titel"] = "typo"  # unknown key
    return doc


def test_every_problem_is_listed():
    found = problems_of(broken())
    expected_fragments = [
        "tools: weights add to 105, not 100",
        "indicators: the indicators of IIT weigh 30, but the tool weighs 35",
        "questions[I1]: duplicate code “I1”: entry questions #2 repeats entry questions #1",
        "questions[I3].kind: the question has no choices",
        "scales.scale4[3].score: 120 is outside 0–100",
        "grading.bands: gap between B (ends at 84.99) and A (starts at 86)",
        "grading.bands: grades C and B overlap",
        "oit.items[O1].titel: unknown key",
    ]
    for fragment in expected_fragments:
        assert any(fragment in line for line in found), (fragment, found)
    assert len(found) == len(expected_fragments)


def test_error_lines_name_the_file(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(broken(), allow_unicode=True), encoding="utf-8")
    with pytest.raises(FrameworkInvalid) as exc:
        parse_document(path.read_text(encoding="utf-8"), path.name)
    lines = exc.value.lines()
    assert len(lines) == 8
    assert all(line.startswith("broken.yaml: ") for line in lines)


def test_yaml_errors_and_repeated_keys_are_named_with_a_line():
    with pytest.raises(FrameworkInvalid) as exc:
        parse_document("code: a\ntools: [\n", "x.yaml")
    assert exc.value.lines()[0].startswith("x.yaml: line ")
    with pytest.raises(FrameworkInvalid) as exc:
        parse_document("code: a\nname: b\ncode: c\n", "y.yaml")
    assert exc.value.lines() == [
        "y.yaml: line 3: the key “code” is written twice in the same place"
    ]


def test_unquoted_yes_is_caught():
    doc = shipped()
    doc["scales"]["yes_no"][0]["value"] = True  # YAML read an unquoted yes
    assert any("yes_no[0].value" in line for line in problems_of(doc))


def test_not_a_mapping():
    assert problems_of(["a", "b"]) == [": must be a mapping (key: value)"]


def test_sample_table_gap():
    doc = shipped()
    doc["sample"]["bands"][1]["population_min"] = 25
    assert any("sample.bands[1].population_min" in line for line in problems_of(doc))


@pytest.mark.django_db
def test_command_refuses_the_whole_file(tmp_path, capsys):
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(broken(), allow_unicode=True), encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("load_framework", str(path))
    err = capsys.readouterr().err
    assert err.count("broken.yaml: ") == 8
    assert Framework.objects.count() == 0


def test_one_broken_entry_is_named_once_and_does_not_hide_the_others():
    doc = shipped()
    doc["tools"][0]["code"] = "XIT"  # not a tool; its indicators must not each say so again
    doc["indicators"][3]["weight"] = "6"  # text, not a number
    doc["questions"][5]["reversed"] = "yes"
    found = problems_of(doc)
    assert found == [
        "tools[XIT].code: must be one of IIT, EIT, OIT",
        "indicators[4].weight: must be a number",
        "questions[I6].reversed: must be true or false",
    ]


def test_the_document_model_builds_the_same_spec_as_the_file_says():
    """Codes written as numbers are read as their text, and a reversed sub-item scores 100 − x."""
    from itas.frameworks.document import spec_from_document

    doc = shipped()
    doc["indicators"][0]["code"] = 1
    for q in doc["questions"]:
        if q["indicator"] == "1":
            q["indicator"] = 1
    assert problems_of(doc) == []
    spec = spec_from_document(doc)
    assert spec.indicator("1").weight == 6
    assert [s.score for s in spec.question("I9").subitems[0].choices] == [100, 66.67, 33.33, 0]
