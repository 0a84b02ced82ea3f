"""Match agency names as letters write them ("๑๖ เทศบาลตำบลบึงงาม อำเภอบึงโขงหลง") to the registry.

Letters are typed by hand and scanned, so names carry spelling and OCR errors (บ้านด้อง for
บ้านต้อง, หนองเติน for หนองเดิ่น). Each line is parsed into a type prefix, a name, and optionally a
district and a province; the type, province and district narrow and weigh the candidates, and the
name is scored by similarity (rapidfuzz) both as written and as a "skeleton" that forgets the
marks OCR confuses (tone marks, look-alike consonants and vowels).

The matcher never guesses silently: a line is `matched` only when one candidate is both good and
clearly ahead of the next; two close candidates make it `ambiguous`; anything weaker is
`unmatched`. A person settles the last two kinds.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from itas.agencies.models import Agency, AgencyKind
from itas.core import tabular
from itas.core.thaidate import arabic_digits
from itas.geo.models import District, Province

MATCHED = "matched"
AMBIGUOUS = "ambiguous"
UNMATCHED = "unmatched"

MATCH_AT = 80.0  # a candidate at least this good may be taken...
MARGIN = 10.0  # ...when the next one is at least this far behind
FLOOR = 60.0  # candidates below this are not shown at all
KIND_PENALTY = 15.0  # the letter's type differs from the registry's (upgrades happen)
DISTRICT_PENALTY = 15.0  # the letter's district differs from the registry's

# Longest first, so that "องค์การบริหารส่วนจังหวัด" wins over shorter look-alikes.
PREFIXES: list[tuple[str, str]] = sorted(
    [
        ("องค์การบริหารส่วนจังหวัด", AgencyKind.PAO),
        ("องค์การบริหารส่วนตำบล", AgencyKind.SAO),
        ("เทศบาลนคร", AgencyKind.CITY_MUNICIPALITY),
        ("เทศบาลเมือง", AgencyKind.TOWN_MUNICIPALITY),
        ("เทศบาลตำบล", AgencyKind.SUBDISTRICT_MUNICIPALITY),
        ("อบจ.", AgencyKind.PAO),
        ("อบต.", AgencyKind.SAO),
        ("ทน.", AgencyKind.CITY_MUNICIPALITY),
        ("ทม.", AgencyKind.TOWN_MUNICIPALITY),
        ("ทต.", AgencyKind.SUBDISTRICT_MUNICIPALITY),
        ("อบจ", AgencyKind.PAO),
        ("อบต", AgencyKind.SAO),
        ("เมืองพัทยา", AgencyKind.SPECIAL),
    ],
    key=lambda p: -len(p[0]),
)
LONG_PREFIXES = [p for p in PREFIXES if len(p[0]) >= 9]

_SEQ = re.compile(r"^\s*[\(\[]?\s*\d{1,4}\s*[\.\)\]:]?\s+")
_DISTRICT = re.compile(r"(?:อำเภอ|อ\.)\s*([^\s,\t]+)")
_PROVINCE = re.compile(r"(?:จังหวัด|จ\.)\s*([^\s,\t]+)")
_THAI = re.compile(r"[\u0e01-\u0e2e]")
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\ufeff\u00ad]")

# The skeleton: what is left of a Thai word once the marks that OCR and hurried typing confuse
# are forgotten. Tone marks and the thanthakhat go; look-alike letters fold into one.
_SKELETON = str.maketrans(
    {
        "\u0e48": None,  # ่ mai ek
        "\u0e49": None,  # ้ mai tho
        "\u0e4a": None,  # ๊
        "\u0e4b": None,  # ๋
        "\u0e4c": None,  # ์ thanthakhat
        "\u0e47": None,  # ็ maitaikhu
        "\u0e4d": None,  # ํ
        "ต": "ด",
        "ป": "บ",
        "ษ": "บ",
        "ผ": "พ",
        "ฝ": "พ",
        "ฟ": "พ",
        "ภ": "ถ",
        "ช": "ข",
        "ซ": "ข",
        "ศ": "ส",
        "ฏ": "ฎ",
        "ฑ": "ท",
        "ฆ": "ม",
        "ี": "ิ",
        "ึ": "ิ",
        "ื": "ิ",
        "ู": "ุ",
        " ": None,
        ".": None,
        "-": None,
    }
)


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text or "")
    text = _INVISIBLE.sub("", text)
    text = arabic_digits(text)
    # Sara am written as nikhahit + sara aa (a common typing error) is the same letter.
    text = text.replace("\u0e4d\u0e32", "\u0e33")
    return text.strip()


def skeleton(text: str) -> str:
    return normalise(text).translate(_SKELETON)


def similarity(a: str, b: str) -> float:
    """0–100: the better of the names as written and their skeletons (the latter slightly
    discounted: two names that differ only in a tone mark are close, not identical)."""
    if not a or not b:
        return 0.0
    raw = fuzz.ratio(a, b)
    if raw == 100:
        return 100.0
    return max(raw, fuzz.ratio(skeleton(a), skeleton(b)) - 5.0)


@dataclass
class ParsedLine:
    seq: str = ""
    kind: str = ""
    prefix: str = ""
    name: str = ""
    district: str = ""
    province: str = ""

    @property
    def is_name(self) -> bool:
        """A line that could be an agency: some Thai letters, not a sentence."""
        return bool(self.name) and bool(_THAI.search(self.name)) and len(self.name) <= 60


def _strip_prefix(text: str) -> tuple[str, str, str]:
    for prefix, kind in PREFIXES:
        if text.startswith(prefix):
            return prefix, kind, text[len(prefix) :]
    # A misspelt long prefix ("องค์การบริหารส่วนตำบถ"): compare the head of the line.
    for prefix, kind in LONG_PREFIXES:
        head = text[: len(prefix)]
        if fuzz.ratio(head, prefix) >= 88:
            return prefix, kind, text[len(prefix) :]
    return "", "", text


def parse_line(text: str) -> ParsedLine:
    # A tab or a wide gap separates columns (name, district); keep it as one tab.
    text = re.sub(r"\s*(?:\t| {2,})\s*", "\t", normalise(text.replace("\u00a0", " ")))
    parsed = ParsedLine()
    seq = _SEQ.match(text)
    if seq:
        parsed.seq = seq.group(0).strip().strip(".)]:([ ")
        text = text[seq.end() :]
    text = text.strip(" \t,;|")
    parsed.prefix, parsed.kind, rest = _strip_prefix(text)
    rest = rest.strip()
    cut = len(rest)
    if m := _DISTRICT.search(rest):
        parsed.district = m.group(1).strip(" ,.")
        cut = min(cut, m.start())
    if m := _PROVINCE.search(rest):
        parsed.province = m.group(1).strip(" ,.")
        cut = min(cut, m.start())
    name = rest[:cut]
    # A name is one word in the registry; a second column (e.g. a district without "อำเภอ")
    # may follow after a wide gap.
    parts = [" ".join(p.split()) for p in re.split(r"\t|,", name.strip())]
    parsed.name = parts[0].strip(" .,-") if parts else ""
    if len(parts) > 1 and not parsed.district and parts[1].strip():
        parsed.district = parts[1].strip(" .,-")
    return parsed


@dataclass
class Candidate:
    code: str
    name: str  # full name, with the type prefix
    district: str
    score: float


@dataclass
class LineMatch:
    line: int
    input: str
    status: str
    confidence: float = 0.0
    code: str = ""
    name: str = ""
    candidates: list[Candidate] = field(default_factory=list)
    note: str = ""

    def as_dict(self) -> dict:
        return {
            "line": self.line,
            "input": self.input,
            "status": self.status,
            "confidence": round(self.confidence, 1),
            "code": self.code,
            "name": self.name,
            "note": self.note,
            "candidates": [c.__dict__ for c in self.candidates],
        }


@dataclass
class _Entry:
    pk: int
    code: str
    kind: str
    name: str
    full_name: str
    province_id: str
    district_id: str | None
    district_name: str


class Registry:
    """The agencies a list is matched against, read once (a province, or the whole country)."""

    def __init__(self, agencies=None, province: Province | None = None):
        qs = agencies if agencies is not None else Agency.objects.filter(is_active=True)
        if province is not None:
            qs = qs.filter(province=province)
        rows = qs.select_related("district").only(
            "pk", "code", "kind", "name", "province_id", "district_id", "district__name_th"
        )
        self.entries = [
            _Entry(
                a.pk,
                a.code,
                a.kind,
                a.name,
                a.full_name,
                a.province_id,
                a.district_id,
                a.district.name_th if a.district_id else "",
            )
            for a in rows
        ]
        self.province = province
        self._skeletons = [skeleton(e.name) for e in self.entries]
        self._districts: dict[frozenset, list[District]] = {}

    def _district_for(self, text: str, province_ids: set[str]) -> District | None:
        """The district a letter names, tolerant of the same errors as names; looked up in the
        candidates' provinces (the whole country when the list names no province)."""
        text = normalise(text).removeprefix("อำเภอ").removeprefix("อ.").strip()
        if not text:
            return None
        key = frozenset(province_ids)
        if key not in self._districts:
            self._districts[key] = list(District.objects.filter(province_id__in=province_ids))
        districts = self._districts[key]
        scored = sorted(((similarity(text, d.name_th), d) for d in districts), key=lambda s: -s[0])
        if not scored or scored[0][0] < MATCH_AT:
            return None
        if len(scored) > 1 and scored[0][0] - scored[1][0] < MARGIN:
            return None
        return scored[0][1]

    def match(self, parsed: ParsedLine, *, line: int, raw: str) -> LineMatch:
        result = LineMatch(line=line, input=re.sub(r"\s+", " ", raw).strip(), status=UNMATCHED)
        if not parsed.is_name:
            result.note = "not an agency name"
            return result
        entries = list(range(len(self.entries)))
        if parsed.province and self.province is None:
            prov = Province.objects.filter(name_th=parsed.province).first()
            if prov is not None:
                entries = [i for i in entries if self.entries[i].province_id == prov.code]
        if not entries:
            result.note = "no agencies in the registry for this province"
            return result
        province_ids = {self.entries[i].province_id for i in entries}
        district = self._district_for(parsed.district, province_ids) if parsed.district else None
        # A first cut by the skeleton of the name, then every context clue weighs in.
        choices = {i: self._skeletons[i] for i in entries}
        top = process.extract(
            skeleton(parsed.name), choices, scorer=fuzz.ratio, limit=40, score_cutoff=FLOOR - 15
        )
        scored: list[tuple[float, _Entry]] = []
        for _choice, _cut, i in top:
            entry = self.entries[i]
            score = similarity(parsed.name, entry.name)
            if parsed.kind and entry.kind != parsed.kind:
                score -= KIND_PENALTY
            if district is not None and entry.district_id != district.code:
                score -= DISTRICT_PENALTY
            scored.append((max(score, 0.0), entry))
        scored.sort(key=lambda s: (-s[0], s[1].code))
        shown = [s for s in scored if s[0] >= FLOOR][:5]
        result.candidates = [Candidate(e.code, e.full_name, e.district_name, s) for s, e in shown]
        if not shown:
            result.confidence = scored[0][0] if scored else 0.0
            result.note = "no candidate close enough"
            return result
        best, entry = shown[0]
        result.confidence = best
        runner_up = shown[1][0] if len(shown) > 1 else 0.0
        if best >= MATCH_AT and best - runner_up >= MARGIN:
            result.status = MATCHED
            result.code, result.name = entry.code, entry.full_name
        elif len(shown) > 1 and best - runner_up < MARGIN:
            result.status = AMBIGUOUS
            result.note = "two candidates are close"
        else:
            result.note = "the best candidate is too far from the name"
        return result


def match_lines(lines: Iterable[tuple[int, str]], registry: Registry) -> list[LineMatch]:
    results = []
    seen: dict[str, int] = {}
    for number, text in lines:
        result = registry.match(parse_line(text), line=number, raw=text)
        if result.status == MATCHED:
            if result.code in seen:
                result.note = f"same agency as line {seen[result.code]}"
            seen.setdefault(result.code, number)
        results.append(result)
    return results


def summary(results: list[LineMatch]) -> dict[str, int]:
    out = {MATCHED: 0, AMBIGUOUS: 0, UNMATCHED: 0}
    for r in results:
        out[r.status] += 1
    return out


# --- reading the list ------------------------------------------------------------------------


MAX_LINES = 10_000


def read_list(data: bytes, filename: str) -> list[tuple[int, str]]:
    """The non-blank lines of a CSV, XLSX or plain-text list as (line number, text); the cells
    of a row are joined by a wide gap so that a district column stays apart from the name.
    Raises tabular.TabularError (a Thai message) for a file that cannot be read as a list."""
    rows = tabular.read_rows(
        data,
        filename,
        limits=tabular.Limits(max_rows=MAX_LINES),
        formats=("csv", "xlsx", "txt"),
        fallback="txt",
    )
    lines = []
    for number, cells in rows:
        kept = [c.strip() for c in cells if c.strip()]
        if kept:
            lines.append((number, "  ".join(kept)))
    return lines


def province_by_name(text: str) -> Province | None:
    """A province named as people write it: "บึงกาฬ", "จังหวัดบึงกาฬ", "จ.บึงกาฬ", or its code."""
    text = normalise(text).removeprefix("จังหวัด").removeprefix("จ.").strip()
    if not text:
        return None
    exact = (
        Province.objects.filter(name_th=text).first() or Province.objects.filter(code=text).first()
    )
    if exact:
        return exact
    scored = sorted(
        ((similarity(text, p.name_th), p) for p in Province.objects.all()), key=lambda s: -s[0]
    )
    if scored and scored[0][0] >= MATCH_AT and scored[0][0] - scored[1][0] >= MARGIN:
        return scored[0][1]
    return None
