"""The signals: for one agency and instrument, groups of responses that arrived or look
together in a way honest answering rarely produces, each tested against the answers around it.

A group alone is never a verdict: an office shares one network address, a staff meeting fills
in the questionnaire in one hour, an enthusiast picks the best answer everywhere. A group
becomes a *flagged* reason only when its answers are also implausibly favourable compared with
the rest of the agency (or, when the agency has too few others, with every agency's answers):

    z = (mean of the group - mean of the others) / (sd of the others / sqrt(size))

flagged when z >= Z_FLAG, the group lifts its members by at least MIN_LIFT points and it has at
least MIN_GROUP responses. Best-on-every-item sheets are tested by their count instead (a
binomial tail against the cycle's typical share), submissions without a valid start token by
their count and share. Context (distance from peers and from the agency's own past, too little
spread for the sample's size) is shown and weighs a little, never flags on its own.

The thresholds were chosen on the generator (bench/credibility.py) for an honest-agency
false-positive rate under 2 % and then rounded towards caution; docs/surveys.md lists them.

Pure Python over plain tuples (no Django) so that the rules are tested directly and the
re-analysis reads the database in a few set-based queries (services.py).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from statistics import fmean, median, pstdev

from itas.surveys.credibility.similar import near_groups, reach

Z_FLAG = 4.0
MIN_LIFT = 6.0  # points on the 0-100 scale
MIN_GROUP = 3
SD_FLOOR = 6.0
BAD_TOKEN_MIN = 3
BAD_TOKEN_SHARE = 0.10
BEST_TAIL = 1e-5  # binomial tail for best-on-every-item sheets
BUSY_SHARE = 0.25
DEVICE_DAY = 3  # one device: 3+ submissions in a day
DEVICE_CYCLE = 4  # ... or 4+ in the cycle
DEVICE_BURST = 3  # ... or 3+ in one 10-minute slot
NETWORK_BURST = 6  # one network address: 6+ submissions in one 10-minute slot
CONSISTENT_RATIO = 0.35  # a device's answers this alike (against an agency's usual spread)
PEER_Z = 3.0
PAST_JUMP = 15.0
UNIFORM_RATIO = 0.35

BAD_TOKENS = ("missing", "invalid", "stale", "reused")


@dataclass(frozen=True)
class Row:
    id: int
    hour: dt.datetime | None  # cut to the hour
    device: str
    network: str
    token: str
    sheet: str
    score: float
    all_best: bool


@dataclass
class Baseline:
    """What honest answering looks like in this cycle and instrument (robust: medians)."""

    mean: float = 70.0
    sd: float = 15.0
    best_share: float = 0.03
    within_sd: float = 12.0  # typical spread of scores inside one agency
    peer_means: dict = field(default_factory=dict)  # peer key -> [agency means]
    past_means: dict = field(default_factory=dict)  # agency id -> previous cycle's mean


@dataclass
class Reason:
    code: str
    flagged: bool
    weight: float
    ids: list[int]
    params: dict

    def as_json(self) -> dict:
        return {
            "code": self.code,
            "flagged": self.flagged,
            "weight": round(self.weight, 3),
            "count": len(self.ids),
            "ids": self.ids,
            "params": self.params,
        }


def _mean_sd(values: list[float]) -> tuple[float, float]:
    if not values:
        return 0.0, 0.0
    return fmean(values), pstdev(values) if len(values) > 1 else 0.0


def lift_test(group: list[Row], others: list[Row], base: Baseline) -> tuple[float, float]:
    """(z, lift in points) of a group's scores against the others (or the cycle)."""
    g = [r.score for r in group]
    if len(others) >= 8:
        # Two samples, both small: the others' mean is uncertain too, and their spread is
        # never taken as smaller than an agency's typical one (8 people can agree by chance).
        ref_mean, ref_sd = _mean_sd([r.score for r in others])
        ref_sd = max(ref_sd, base.within_sd, SD_FLOOR)
        se = ref_sd * math.sqrt(1 / len(g) + 1 / len(others))
    else:
        ref_mean, ref_sd = base.mean, max(base.sd, SD_FLOOR)
        se = ref_sd / math.sqrt(len(g))
    lift = fmean(g) - ref_mean
    return lift / se, lift


def binomial_tail(k: int, n: int, p: float) -> float:
    """P(X >= k) for X ~ Binomial(n, p), summed in logs (n is an agency's sample)."""
    if k <= 0:
        return 1.0
    p = min(max(p, 1e-9), 1 - 1e-9)
    total = 0.0
    for i in range(k, n + 1):
        log = (
            math.lgamma(n + 1)
            - math.lgamma(i + 1)
            - math.lgamma(n - i + 1)
            + i * math.log(p)
            + (n - i) * math.log(1 - p)
        )
        total += math.exp(log)
    return min(1.0, total)


def _tested(code: str, group: list[Row], rows: list[Row], base: Baseline, params: dict):
    if len(group) < MIN_GROUP:
        return None
    ids = {r.id for r in group}
    others = [r for r in rows if r.id not in ids]
    z, lift = lift_test(group, others, base)
    flagged = z >= Z_FLAG and lift >= MIN_LIFT
    share = len(group) / len(rows)
    weight = (0.5 + 0.5 * min(1.0, 2 * share)) if flagged else 0.0
    return Reason(
        code,
        flagged,
        weight,
        sorted(ids),
        {**params, "count": len(group), "share": round(100 * share), "lift": round(lift, 1)},
    )


def reasons_for(
    rows: list[Row],
    base: Baseline,
    *,
    buckets: dict | None = None,
    peer_key=None,
    agency_id: int | None = None,
) -> list[Reason]:
    """Every reason for one agency and instrument. `buckets` maps (kind, hash) to the list of
    (10-minute slot, count) of its stored arrivals."""
    buckets = buckets or {}
    n = len(rows)
    if n == 0:
        return []
    out: list[Reason] = []

    bad = [r for r in rows if r.token in BAD_TOKENS]
    if len(bad) >= BAD_TOKEN_MIN and len(bad) / n >= BAD_TOKEN_SHARE:
        kinds = Counter(r.token for r in bad)
        share = len(bad) / n
        out.append(
            Reason(
                "bad_token",
                True,
                0.6 + 0.4 * min(1.0, 2 * share),
                sorted(r.id for r in bad),
                {"count": len(bad), "share": round(100 * share), **dict(kinds)},
            )
        )

    # One device again and again: over a 10-minute slot, a day, the cycle.
    by_device: dict[str, list[Row]] = defaultdict(list)
    for r in rows:
        if r.device:
            by_device[r.device].append(r)
    repeated: list[Row] = []
    consistent: list[Row] = []  # one device, 4+ answers, all alike: one person again and again
    devices = same_person = 0
    for device, members in by_device.items():
        per_day = Counter(r.hour.date() for r in members if r.hour)
        slots = buckets.get(("device", device), [])
        if (
            len(members) >= DEVICE_CYCLE
            or max(per_day.values(), default=0) >= DEVICE_DAY
            or max((c for _s, c in slots), default=0) >= DEVICE_BURST
        ):
            repeated.extend(members)
            devices += 1
            if len(members) >= DEVICE_CYCLE and pstdev(
                [r.score for r in members]
            ) < CONSISTENT_RATIO * max(base.within_sd, SD_FLOOR):
                consistent.extend(members)
                same_person += 1
    reason = _tested("device_repeat", repeated, rows, base, {"devices": devices})
    if (reason is None or not reason.flagged) and len(consistent) >= 2 * DEVICE_CYCLE:
        # Several people behind one office browser answer like several people; one person
        # sending again and again answers alike. Alike, repeated and lifting is enough.
        alike = _tested("device_repeat", consistent, rows, base, {"devices": same_person})
        if alike is not None and alike.params["lift"] >= MIN_LIFT:
            alike.flagged = True
            alike.weight = 0.5 + 0.5 * min(1.0, 2 * len(consistent) / n)
            reason = alike
    if reason is not None:
        out.append(reason)

    # One network address in a burst (different browsers included): a hint, weighed by answers.
    by_network: dict[str, list[Row]] = defaultdict(list)
    for r in rows:
        if r.network:
            by_network[r.network].append(r)
    burst: list[Row] = []
    for network, members in by_network.items():
        slots = buckets.get(("network", network), [])
        busiest = max((c for _s, c in slots), default=0)
        hours = Counter(r.hour for r in members)
        if busiest >= NETWORK_BURST or max(hours.values(), default=0) >= 3 * NETWORK_BURST:
            burst.extend(members)
    if (reason := _tested("network_burst", burst, rows, base, {})) is not None:
        out.append(reason)

    # Arrival concentration: the busiest hour and the busiest day.
    hours = Counter(r.hour for r in rows if r.hour)
    if hours:
        hour, count = hours.most_common(1)[0]
        if count / n >= BUSY_SHARE and count >= 2 * MIN_GROUP:
            group = [r for r in rows if r.hour == hour]
            if (
                reason := _tested("busy_hour", group, rows, base, {"hour": hour.isoformat()})
            ) is not None:
                out.append(reason)
        days = Counter(r.hour.date() for r in rows if r.hour)
        day, count = days.most_common(1)[0]
        if count / n >= 2 * BUSY_SHARE and count >= 2 * MIN_GROUP and len(days) > 1:
            group = [r for r in rows if r.hour and r.hour.date() == day]
            if (
                reason := _tested("busy_day", group, rows, base, {"day": day.isoformat()})
            ) is not None:
                out.append(reason)

    # Identical answer sheets (best-on-every-item sheets are judged by their count below).
    sheets = Counter(r.sheet for r in rows if r.sheet and not r.all_best)
    same = [r for r in rows if r.sheet and not r.all_best and sheets[r.sheet] >= 2]
    repeats = sum(1 for c in sheets.values() if c >= 2)
    if (reason := _tested("identical", same, rows, base, {"sheets": repeats})) is not None:
        out.append(reason)

    # Near-identical sheets: groups improbable under the agency's own answers (similar.py).
    groups = near_groups(rows)
    if groups:
        near = [r for g in groups for r in g.rows]
        ids = {r.id for r in near}
        _z, lift = lift_test(near, [r for r in rows if r.id not in ids], base)
        share = len(near) / n
        out.append(
            Reason(
                "near_identical",
                True,
                0.5 + 0.5 * min(1.0, 2 * share),
                sorted(ids),
                {
                    "count": len(near),
                    "share": round(100 * share),
                    "groups": len(groups),
                    "differ": reach(len(near[0].sheet)),
                    "items": len(near[0].sheet),
                    "expected": round(sum(g.expected for g in groups), 1),
                    "lift": round(lift, 1),
                },
            )
        )

    # Best on every item, reversed items included: judged on scores, by their count.
    best = [r for r in rows if r.all_best]
    if len(best) >= MIN_GROUP:
        tail = binomial_tail(len(best), n, base.best_share)
        flagged = tail < BEST_TAIL
        share = len(best) / n
        out.append(
            Reason(
                "all_best",
                flagged,
                (0.5 + 0.5 * min(1.0, 2 * share)) if flagged else 0.0,
                sorted(r.id for r in best),
                {
                    "count": len(best),
                    "share": round(100 * share),
                    "expected": round(100 * base.best_share, 1),
                },
            )
        )

    # Context: how the agency stands against its peers and its own past; spread for its size.
    mean, sd = _mean_sd([r.score for r in rows])
    peers = base.peer_means.get(peer_key) or []
    if len(peers) >= 5:
        centre = median(peers)
        spread = max(1.4826 * median(abs(p - centre) for p in peers), 3.0)
        z = (mean - centre) / spread
        if z >= PEER_Z:
            out.append(
                Reason(
                    "peers",
                    False,
                    0.15,
                    [],
                    {"mean": round(mean, 1), "peers": round(centre, 1), "n": len(peers)},
                )
            )
    past = base.past_means.get(agency_id)
    if past is not None and mean - past >= PAST_JUMP:
        out.append(
            Reason("past", False, 0.15, [], {"mean": round(mean, 1), "past": round(past, 1)})
        )
    if n >= 10 and sd < UNIFORM_RATIO * base.within_sd:
        out.append(
            Reason(
                "uniform",
                False,
                0.15,
                [],
                {"sd": round(sd, 1), "typical": round(base.within_sd, 1), "n": n},
            )
        )
    return out


def risk_of(reasons: list[Reason]) -> int:
    """0..100: the reasons' weights combined as independent pieces of evidence."""
    keep = 1.0
    for r in reasons:
        keep *= 1 - min(max(r.weight, 0.0), 0.99)
    return round(100 * (1 - keep))


FLAG_RISK = 50  # one flagged reason reaches it; context alone (3 × 0.15) cannot


def baseline(agencies: dict, peer_of: dict, past_means: dict) -> Baseline:
    """The cycle's honest picture from every agency's rows ({key: [Row]}), robust to the
    manipulated few: medians of agency-level figures."""
    means, sds, best_shares = [], [], []
    all_scores: list[float] = []
    peer_means: dict = defaultdict(list)
    for key, rows in agencies.items():
        if not rows:
            continue
        scores = [r.score for r in rows]
        m = fmean(scores)
        peer_means[peer_of.get(key)].append(m)
        all_scores.extend(scores[:200])
        if len(rows) >= 5:
            means.append(m)
            sds.append(pstdev(scores))
            best_shares.append(sum(1 for r in rows if r.all_best) / len(rows))
    if not means:
        return Baseline(peer_means=dict(peer_means), past_means=past_means)
    centre = median(all_scores)
    spread = 1.4826 * median(abs(s - centre) for s in all_scores)
    return Baseline(
        mean=centre,
        sd=max(spread, SD_FLOOR),
        # the typical share, with room for an agency or two of enthusiasts
        best_share=max(0.02, median(best_shares) * 1.5),
        within_sd=max(median(sds), SD_FLOOR),
        peer_means=dict(peer_means),
        past_means=past_means,
    )
