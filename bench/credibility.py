"""The credibility engine measured: honest agencies and planted manipulation sent through the
real public form (GET for the start token, POST of the answers, Django's test client with the
address and browser a phone would send), at chosen moments (time-machine), then the cycle's
re-analysis, then per agency: flagged or not, and the IIT score honest / with the planted
answers / after NACC excludes what the engine flags.

Honest agencies: a quality per agency (its staff's typical favourability), a bias per person,
noise per item, a few enthusiasts (best everywhere) and one-column tickers; phones from a pool
of common browsers (popular ones repeat), on the office Wi-Fi (one address for the office) or
the carrier's shared addresses; answers spread over four weeks of office hours; a staff meeting
in two agencies out of five where a third to a half answer in the same hour; now and then a form
left open overnight (a stale token).

Planted patterns (each on top of an honest agency's own staff):
* stuffing: 60 POSTs in ten minutes from one address, no start token, a new browser each time;
* coached: 30 different phones in one hour, best answer everywhere, valid tokens;
* few_phones: 4 phones, 4-5 times a day for three days, favourable answers;
* steady_phone: one phone every 3 minutes for three hours, favourable answers;
* token_replay: one valid token replayed 40 times from rotating addresses and browsers;
* copied_sheet: one favourable (not best) sheet passed around, 25 phones over a week;
* near_copies: one favourable sheet passed around and touched up (1-4 answers changed on each
  copy, so no two are alike), 25 phones over a week, valid tokens;
* spread_stuffing: 40 POSTs without a start token over five days, a new address and browser
  each time.

One honest agency in ten is *content*: everyone answers near the top with little noise, so
many sheets are nearly identical honestly (the near-identical signal must leave it alone).
Planted agencies' own staff are never content: favourable answers planted there barely move
the score, and the signals that need a lift (repetition, copies) rightly stay silent.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import uuid
from dataclasses import dataclass, field

PATTERNS = (
    "stuffing",
    "coached",
    "few_phones",
    "steady_phone",
    "token_replay",
    "copied_sheet",
    "near_copies",
    "spread_stuffing",
)
TOKEN = re.compile(r'name="started" value="([^"]+)"')
BROWSERS = [
    f"Mozilla/5.0 (Linux; Android {v}; {m}) AppleWebKit/537.36 Chrome/{c}.0 Mobile Safari/537.36"
    for v, m, c in [
        (14, "SM-A155F", 131),
        (14, "SM-A556E", 131),
        (13, "CPH2591", 130),
        (14, "V2318", 131),
        (12, "Redmi Note 11", 129),
        (14, "SM-S918B", 131),
        (13, "RMX3710", 128),
        (14, "Pixel 7", 131),
        (11, "vivo 1906", 120),
        (13, "SM-A245F", 130),
    ]
] + [
    f"Mozilla/5.0 (iPhone; CPU iPhone OS {v} like Mac OS X) AppleWebKit/605.1.15 Version/{w} Mobile/15E148 Safari/604.1"
    for v, w in [("17_5", "17.5"), ("17_6", "17.6"), ("18_1", "18.1"), ("16_7", "16.7")]
]
WEIGHTS = [14, 10, 8, 7, 6, 5, 5, 4, 3, 3, 12, 10, 9, 4]


@dataclass
class Agency:
    enrolment: object
    pattern: str  # "" for honest
    honest: list[float] = field(default_factory=list)  # honest respondents' scores
    planted: int = 0


def _pick(sub, level: float, rng: random.Random, noise: float = 0.18) -> str:
    """A choice for a sub-item at favourability `level` (0..1), judged on scores so reversed
    items are answered as a person who means it would."""
    ranked = sorted(sub.choices, key=lambda c: c.score)
    x = min(1.0, max(0.0, level + rng.gauss(0, noise)))
    return ranked[round(x * (len(ranked) - 1))].value


def _best(sub, rng=None) -> str:
    return max(sub.choices, key=lambda c: c.score).value


def _favourable(sub, rng: random.Random) -> str:
    ranked = sorted(sub.choices, key=lambda c: c.score)
    return ranked[-1].value if rng.random() < 0.8 or len(ranked) < 3 else ranked[-2].value


def _body(spec, chooser, rng) -> dict:
    data = {}
    for q in spec.questions_for("iit"):
        for sub in q.subitems:
            data[f"q-{q.code}-{sub.code}"] = chooser(sub, rng)
    return data


class Sender:
    """Sends one questionnaire as a phone would, at a chosen moment."""

    def __init__(self, client, spec):
        self.client = client
        self.spec = spec
        self.sent = 0

    def __call__(
        self, enrolment, when, body, *, ip, ua, token="get", served=None, submission=None
    ) -> str:
        import time_machine
        from django.urls import reverse

        url = reverse("surveys:go", args=["iit", enrolment.access_code])
        if token == "get":
            with time_machine.travel(served or when - dt.timedelta(minutes=6), tick=False):
                page = self.client.get(url, REMOTE_ADDR=ip, HTTP_USER_AGENT=ua)
                token = TOKEN.search(page.content.decode()).group(1)
        data = dict(body)
        data["submission_id"] = str(submission or uuid.uuid4())
        if token:
            data["started"] = token
        with time_machine.travel(when, tick=False):
            r = self.client.post(url, data, REMOTE_ADDR=ip, HTTP_USER_AGENT=ua)
        assert r.status_code == 302, (r.status_code, r.content[:300])
        self.sent += 1
        return token


def _office_moment(rng, start, days) -> dt.datetime:
    day = start + dt.timedelta(days=rng.randrange(days))
    hour = rng.choice([8, 9, 9, 10, 10, 11, 13, 13, 14, 14, 15, 16, 19, 20])
    return day.replace(hour=hour, minute=rng.randrange(60)) - dt.timedelta(hours=7)


def honest(send, agency: Agency, rng: random.Random, start: dt.datetime, days: int) -> None:
    spec = send.spec
    n = max(8, min(90, int(rng.lognormvariate(3.1, 0.45))))
    quality = min(0.9, max(0.3, rng.gauss(0.62, 0.12)))
    # everyone near the top, little noise: honest agencies only (a stress case for false
    # positives; planted answers in such an agency hardly move its score, see docs)
    content = rng.random() < 0.1 and not agency.pattern
    person_sd, noise = (0.04, 0.10) if content else (0.12, 0.18)
    if content:
        quality = 0.95
    office_ip = f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
    meeting = None
    if rng.random() < 0.4:
        meeting = _office_moment(rng, start, days).replace(minute=0)
    for _i in range(n):
        roll = rng.random()
        if roll < 0.04:
            chooser = _best  # an enthusiast
        elif roll < 0.06:
            column = rng.randrange(4)

            def chooser(sub, r, c=column):  # one column ticked everywhere
                return sub.choices[min(c, len(sub.choices) - 1)].value
        else:
            level = min(1.0, max(0.0, quality + rng.gauss(0, person_sd)))

            def chooser(sub, r, lv=level):
                return _pick(sub, lv, r, noise)

        body = _body(spec, chooser, rng)
        if meeting is not None and rng.random() < 0.45:
            when = meeting + dt.timedelta(minutes=rng.randrange(55))
            ip = office_ip
        else:
            when = _office_moment(rng, start, days)
            ip = (
                office_ip if rng.random() < 0.5 else f"100.64.{rng.randrange(4)}.{rng.randrange(8)}"
            )
        ua = rng.choices(BROWSERS, WEIGHTS)[0]
        served = when - dt.timedelta(hours=26) if rng.random() < 0.01 else None  # left open
        send(agency.enrolment, when, body, ip=ip, ua=ua, served=served)
        agency.honest.append(_score(spec, body))


def _score(spec, body) -> float:
    from itas.frameworks.engine import question_score

    scores = []
    for q in spec.questions_for("iit"):
        chosen = {s.code: body[f"q-{q.code}-{s.code}"] for s in q.subitems}
        scores.append(question_score(q, chosen))
    return sum(scores) / len(scores)


def plant(send, agency: Agency, rng: random.Random, start: dt.datetime, days: int) -> None:
    spec, e, p = send.spec, agency.enrolment, agency.pattern
    base = _office_moment(rng, start, max(1, days - 4)).replace(minute=0)

    def count(n=1):
        agency.planted += n

    if p == "stuffing":
        for i in range(60):
            ua = f"Mozilla/5.0 (Linux; Android {10 + i % 5}; X{rng.randrange(10**6)}) Chrome/{100 + i}"
            send(
                e,
                base + dt.timedelta(seconds=10 * i),
                _body(spec, _favourable, rng),
                ip="203.0.113.50",
                ua=ua,
                token="",
            )
            count()
    elif p == "coached":
        for _i in range(30):
            send(
                e,
                base + dt.timedelta(minutes=rng.randrange(58)),
                _body(spec, _best, rng),
                ip=f"100.65.{rng.randrange(256)}.{rng.randrange(256)}",
                ua=rng.choices(BROWSERS, WEIGHTS)[0] + f" wv{rng.randrange(1000)}",
            )
            count()
    elif p == "few_phones":
        phones = [(f"100.66.{k}.{rng.randrange(256)}", rng.choice(BROWSERS)) for k in range(4)]
        for d in range(3):
            for ip, ua in phones:
                for _j in range(rng.choice([4, 5])):
                    when = base + dt.timedelta(
                        days=d, hours=rng.randrange(10), minutes=rng.randrange(60)
                    )
                    send(e, when, _body(spec, _favourable, rng), ip=ip, ua=ua)
                    count()
    elif p == "steady_phone":
        # One phone per agency (its own address: five agencies' phones sharing one address
        # and browser would share the form's per-client rate limit, whose counters outlive
        # the time travel back to the next agency's moments, and get 429).
        ua, ip = rng.choice(BROWSERS), f"100.67.{e.pk // 254 % 256}.{e.pk % 254 + 1}"
        for i in range(60):
            send(e, base + dt.timedelta(minutes=3 * i), _body(spec, _favourable, rng), ip=ip, ua=ua)
            count()
    elif p == "token_replay":
        token = None
        for i in range(40):
            ip = f"198.51.{rng.randrange(256)}.{rng.randrange(256)}"
            ua = rng.choice(BROWSERS) + f" r{i}"
            when = base + dt.timedelta(minutes=7 * i)
            token = send(
                e,
                when,
                _body(spec, _favourable, rng),
                ip=ip,
                ua=ua,
                token="get" if token is None else token,
            )
            count()
    elif p == "copied_sheet":
        sheet = _body(spec, lambda sub, r: _pick(sub, 0.93, r), rng)
        for _i in range(25):
            when = base + dt.timedelta(days=rng.randrange(7), hours=rng.randrange(8))
            send(
                e,
                when,
                sheet,
                ip=f"100.68.{rng.randrange(256)}.{rng.randrange(256)}",
                ua=rng.choice(BROWSERS),
            )
            count()
    elif p == "near_copies":
        template = _body(spec, lambda sub, r: _pick(sub, 0.9, r), rng)
        keys = list(template)
        choices = {
            f"q-{q.code}-{sub.code}": [c.value for c in sub.choices]
            for q in spec.questions_for("iit")
            for sub in q.subitems
        }
        for _i in range(25):
            sheet = dict(template)
            for key in rng.sample(keys, rng.randint(1, 4)):
                sheet[key] = rng.choice([v for v in choices[key] if v != template[key]])
            when = base + dt.timedelta(days=rng.randrange(7), hours=rng.randrange(8))
            send(
                e,
                when,
                sheet,
                ip=f"100.69.{rng.randrange(256)}.{rng.randrange(256)}",
                ua=rng.choices(BROWSERS, WEIGHTS)[0],
            )
            count()
    elif p == "spread_stuffing":
        for i in range(40):
            when = base + dt.timedelta(days=rng.randrange(5), minutes=rng.randrange(600))
            send(
                e,
                when,
                _body(spec, _favourable, rng),
                ip=f"198.18.{rng.randrange(256)}.{rng.randrange(256)}",
                ua=f"Mozilla/5.0 (Linux; Android {9 + i % 6}; M{rng.randrange(10**6)}) Chrome/{90 + i}",
                token="",
            )
            count()
    else:
        raise ValueError(p)


def run(enrolments, spec, *, honest_count: int, per_pattern: int, seed: int = 1) -> list[Agency]:
    """Fill the enrolments (honest ones first, then per_pattern of each pattern, each planted
    agency with its own honest staff too)."""
    agencies = [Agency(e, "") for e in enrolments[:honest_count]]
    rest = enrolments[honest_count:]
    for i, pattern in enumerate(PATTERNS):
        agencies += [Agency(e, pattern) for e in rest[i * per_pattern : (i + 1) * per_pattern]]
    return fill(agencies, spec, seed=seed)


def fill(agencies: list[Agency], spec, *, seed: int = 1) -> list[Agency]:
    from django.test import Client
    from django.utils import timezone

    rng = random.Random(seed)
    # The bench's settings allow only the real host names; the test client says "testserver".
    send = Sender(Client(HTTP_HOST="127.0.0.1"), spec)
    days = 26
    start = (timezone.now() - dt.timedelta(days=days + 1)).replace(second=0, microsecond=0)
    for a in agencies:
        honest(send, a, rng, start, days)
        if a.pattern:
            plant(send, a, rng, start, days)
    return agencies


def measure(agencies: list[Agency]) -> dict:
    """Per pattern and overall: precision, recall, honest flagged, inflation removed."""
    from itas.surveys.credibility.models import AgencyRisk

    risks = {
        r.enrolment_id: r
        for r in AgencyRisk.objects.filter(
            enrolment_id__in=[a.enrolment.pk for a in agencies], instrument="iit"
        )
    }
    rows = {}
    flagged_total = true_pos = 0
    honest_n = honest_flagged = 0
    for pattern in ("", *PATTERNS):
        group = [a for a in agencies if a.pattern == pattern]
        if not group:
            continue
        hit = inflation = removed = 0.0
        for a in group:
            risk = risks[a.enrolment.pk]
            clean = sum(a.honest) / len(a.honest)
            if risk.flagged:
                hit += 1
            after = risk.score_without if risk.flagged else risk.score
            inflation += risk.score - clean
            removed += risk.score - after
        flagged_total += hit
        if pattern:
            true_pos += hit
        else:
            honest_n, honest_flagged = len(group), hit
        rows[pattern or "honest"] = {
            "agencies": len(group),
            "flagged": int(hit),
            "rate": hit / len(group),
            "inflation": inflation / len(group),
            "removed_share": (removed / inflation) if pattern and inflation > 0 else None,
            "left": (inflation - removed) / len(group),
        }
    planted = [a for a in agencies if a.pattern]
    total_inflation = sum(rows[p]["inflation"] * rows[p]["agencies"] for p in PATTERNS if p in rows)
    total_left = sum(rows[p]["left"] * rows[p]["agencies"] for p in PATTERNS if p in rows)
    overall = {
        "precision": true_pos / flagged_total if flagged_total else 1.0,
        "recall": true_pos / len(planted) if planted else 1.0,
        "honest_flagged": honest_flagged / honest_n if honest_n else 0.0,
        "removed_share": 1 - total_left / total_inflation if total_inflation else 1.0,
    }
    why = sorted(
        f"{r['code']} {r['params']}"
        for a in agencies
        if not a.pattern and risks[a.enrolment.pk].flagged
        for r in risks[a.enrolment.pk].reasons
        if r["flagged"]
    )
    return {"patterns": rows, "overall": overall, "honest_reasons": why}


def table(result: dict) -> str:
    lines = [
        "| pattern | agencies | flagged | inflation (points) | left after exclusion | removed |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, r in result["patterns"].items():
        removed = "–" if r["removed_share"] is None else f"{100 * r['removed_share']:.0f} %"
        lines.append(
            f"| {name} | {r['agencies']} | {r['flagged']} ({100 * r['rate']:.0f} %) | "
            f"{r['inflation']:+.2f} | {r['left']:+.2f} | {removed} |"
        )
    o = result["overall"]
    if result.get("honest_reasons"):
        lines.append("")
        lines.append("Honest agencies flagged for: " + "; ".join(result["honest_reasons"]))
    lines.append("")
    lines.append(
        f"Overall: precision {o['precision']:.2f}, recall {o['recall']:.2f}, honest agencies "
        f"flagged {100 * o['honest_flagged']:.1f} %, planted inflation removed "
        f"{100 * o['removed_share']:.0f} %."
    )
    return "\n".join(lines)


def bench(cycle, *, honest_count: int = 100, per_pattern: int = 5, seed: int = 1) -> dict:
    """`make bench` section: the re-analysis of the bench cycle (its size's responses), then
    the generator on a cycle of its own (the bench registry's first agencies), removed after."""
    import time

    from django.db import transaction
    from django.utils import timezone

    from itas.cycles import codes
    from itas.cycles.models import Cycle, CycleStatus, Enrolment, Phase, PhaseKind
    from itas.surveys.credibility import services
    from itas.surveys.credibility.models import AgencyRisk, CredibilityRun
    from itas.surveys.models import Response

    out: dict = {}
    t0 = time.perf_counter()
    run_ = services.analyse_cycle(CredibilityRun.objects.create(cycle=cycle))
    out["reanalysis"] = {
        "seconds": time.perf_counter() - t0,
        "agencies": run_.total,
        "responses": run_.responses,
    }
    print(f"bench: credibility re-analysis {out['reanalysis']}", flush=True)
    AgencyRisk.objects.filter(enrolment__cycle=cycle).delete()

    year = 2700
    _drop_cycle(year)
    with transaction.atomic():
        measured = Cycle.objects.create(
            fiscal_year=year, framework=cycle.framework, status=CycleStatus.OPEN
        )
        today = timezone.localdate()
        Phase.objects.create(
            cycle=measured,
            kind=PhaseKind.SURVEY,
            starts_on=today - dt.timedelta(days=40),
            ends_on=today + dt.timedelta(days=1),
        )
        agencies = list(cycle.enrolments.order_by("pk").values_list("agency_id", flat=True))
        count = honest_count + per_pattern * len(PATTERNS)
        picked = agencies[:count]
        enrolments = [
            Enrolment.objects.create(cycle=measured, agency_id=a, access_code=c)
            for a, c in zip(picked, codes.unique_codes(len(picked), set()), strict=True)
        ]
    t0 = time.perf_counter()
    generated = run(
        enrolments,
        cycle.framework.spec,
        honest_count=honest_count,
        per_pattern=per_pattern,
        seed=seed,
    )
    out["sending_s"] = time.perf_counter() - t0
    out["submissions"] = Response.objects.filter(enrolment__cycle=measured).count()
    services.analyse_cycle(CredibilityRun.objects.create(cycle=measured))
    out["measured"] = measure(generated)
    out["table"] = table(out["measured"])
    _drop_cycle(year)
    return out


def _drop_cycle(year: int) -> None:
    from itas.cycles.models import Cycle
    from itas.surveys.models import Answer, Response

    old = Cycle.objects.filter(fiscal_year=year).first()
    if old is None:
        return
    Answer.objects.filter(enrolment__cycle=old).delete()
    Response.objects.filter(enrolment__cycle=old).delete()
    old.delete()
