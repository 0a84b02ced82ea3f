"""The Bueng Kan registry built from seed letter 004 (not from the DLA registry)."""

import re
from pathlib import Path

import geothai
import pytest

from itas.agencies import seed_letter
from itas.agencies.generator import TYPE_DIGIT
from itas.agencies.models import AgencyKind

SEED = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "004_722d02414b989ca8.txt"
FIXTURE = Path(__file__).resolve().parents[1] / "events" / "fixtures" / "seed004_bueng_kan.txt"


def test_the_entries_are_the_letters_list_as_printed():
    if not SEED.is_file():
        pytest.skip(f"{SEED} is not present (the seed letters live beside the checkout)")
    printed = [
        line
        for line in SEED.read_text(encoding="utf-8").splitlines()
        if re.match(r"[๐-๙]+\t", line)
    ]
    assert len(printed) == 45
    assert seed_letter.list_text().splitlines() == printed


def test_the_fixture_differs_from_the_letter_only_by_its_four_ocr_errors():
    fixture = FIXTURE.read_text(encoding="utf-8").splitlines()
    letter = seed_letter.list_text().splitlines()
    assert [i for i, (a, b) in enumerate(zip(letter, fixture, strict=True), 1) if a != b] == [
        10,
        13,
        38,
        44,
    ]


def test_built_registry_codes_follow_the_generator_pattern():
    built = seed_letter.build()
    assert len(built.letter) == 45
    agencies = built.agencies
    assert len(agencies) > 45  # the other tambons' SAOs too
    codes = [a.code for a in agencies]
    assert len(set(codes)) == len(codes)
    districts = {d.code for d in geothai.districts("38")}
    for a in agencies:
        assert re.fullmatch(r"\d{7}", a.code), a.code
        assert a.code[0] == TYPE_DIGIT[AgencyKind(a.kind)]
        assert a.code[1:5] == a.district_id and a.district_id in districts
        assert a.province_id == "38"
    # Sequences within a district run 01, 02, ... without gaps.
    for district in {a.district_id for a in agencies}:
        seqs = sorted(int(a.code[5:]) for a in agencies if a.district_id == district)
        assert seqs == list(range(1, len(seqs) + 1))


def test_letter_districts_and_names_on_the_registry_side():
    letter = seed_letter.build().letter
    # บึงคล้า (lines 19-21) is the geothai district บุ่งคล้า.
    bung_khla = next(d.code for d in geothai.districts("38") if d.name_th == "บุ่งคล้า")
    assert {letter[i].district_id for i in (18, 19, 20)} == {bung_khla}
    # Only the listed corrections; every other name as the letter prints it.
    for agency, (_kind, name, _district) in zip(letter, seed_letter.ENTRIES, strict=True):
        assert agency.name == seed_letter.REGISTRY_SPELLING.get(name, name)
    assert [letter[i].name for i in (5, 19, 29)] == ["บ้านต้อง", "หนองเดิ่น", "ดอนหญ้านาง"]
    assert letter[7].name == "ปงไฮ"  # kept as printed


def test_extra_saos_are_tambons_no_letter_lao_stands_for():
    built = seed_letter.build()
    for a in built.extra:
        assert a.kind == AgencyKind.SAO
        tambons = {s.name_th for s in geothai.subdistricts(a.district_id)}
        assert a.name in tambons
        same_district = {x.name for x in built.letter if x.district_id == a.district_id}
        assert a.name not in same_district
    extra = {(a.district_id, a.name) for a in built.extra}
    # ป่งไฮ is the tambon of the letter's ปงไฮ: no second LAO for it. ศรีชมภู of พรเจริญ is free.
    assert ("3804", "ป่งไฮ") not in extra
    assert ("3802", "ศรีชมภู") in extra
    assert len(seed_letter.build(extras=False).agencies) == 45


def test_code_of_refuses_an_ambiguous_or_unknown_name():
    assert seed_letter.code_of("อบต.", "ศรีชมภู", "โซ่พิสัย") != seed_letter.code_of(
        "องค์การบริหารส่วนตำบล", "ศรีชมภู", "พรเจริญ"
    )
    with pytest.raises(LookupError):
        seed_letter.code_of("อบต.", "ศรีชมภู")  # two districts
    with pytest.raises(LookupError):
        seed_letter.code_of("เทศบาลตำบล", "แอตแลนติส")
