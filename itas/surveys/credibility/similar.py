"""Near-identical answer sheets within one agency, judged against the agency's own answers.

A sheet passed around and touched up (one or two answers changed so that no two are exactly
alike) leaves a group of sheets within a few answers of one another. Honest answering leaves
such groups too where most people give the same answers (a small office that is content with
everything): closeness alone is no evidence. So each group is compared with what the agency's
own respondents at the same level would produce by chance:

1. **Candidates.** Sheets of the same length whose Hamming distance is at most
   `max(1, ⌊NEAR_SHARE × items⌋)` (5 of IIT's 50 sub-items, 1 of EIT's 19): every distinct
   sheet against every other of its agency in C (rapidfuzz), about u² / 2 comparisons of
   50 characters for u distinct sheets, the agency's size at most.
2. **Groups.** Stars, never chains: the distinct sheet with the most sheets within reach is a
   centre, its group is every not yet grouped sheet within reach; then the next centre.
3. **The chance of it.** For a group of m sheets around the centre c, the reference is the
   agency's other respondents whose score is within NEAR_BAND points of the group's (at least
   the NEAR_REF nearest): per item, the share of them giving c's answer (smoothed, so that no
   answer is ever certain). With items independent *given the level*, the probability q that
   one such respondent lands within reach of c is a Poisson-binomial sum; the group is
   improbable when P(Binomial(N, q) ≥ m) × (distinct sheets) < NEAR_TAIL and m is at least
   NEAR_RATIO × N·q, N being the reference (the group among it). A content agency's reference
   gives c's answers themselves a high share, q is large and its groups are expected; a
   copied sheet's answers are the reference's only by chance. The ratio guards against what
   independence given the level misses (people at one level still agree a little more).
4. A group is a reason only when it raises the agency's score (its mean above the others').
5. Sheets at the very top (best everywhere, or a score of NEAR_CEILING or more) are left out:
   there are few such sheets, so they are alike by force, and enthusiasts give them honestly;
   best-everywhere sheets are judged by their count (signals.py, `all_best`).

Pure Python (rapidfuzz for the distance), no Django, like signals.py.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from statistics import fmean
from typing import TYPE_CHECKING

from rapidfuzz import process
from rapidfuzz.distance import Hamming

if TYPE_CHECKING:
    from itas.surveys.credibility.signals import Row

NEAR_SHARE = 0.10  # at most 10 % of the items differ
NEAR_MIN = 4  # sheets in a group
NEAR_TAIL = 1e-10  # chance of the group under the agency's own answers, times the sheets tried
NEAR_RATIO = 3.0  # ... and at least three times as many sheets as that chance would make
NEAR_BAND = 10.0  # points: the others answering at about the group's level ...
NEAR_REF = 30  # ... at least this many of them (the nearest by score)
NEAR_OTHERS = 8  # fewer others than this: the agency's own answers cannot judge
NEAR_CEILING = 95.0  # sheets this close to the top are alike by force: judged as all_best
MAX_CENTRES = 40  # groups tried per agency (largest first)


@dataclass
class Group:
    rows: list[Row]
    expected: float  # sheets this close to the centre that honest answering would give
    tail: float


def reach(length: int) -> int:
    return max(1, int(length * NEAR_SHARE))


def _within(mismatch: list[float], k: int) -> float:
    """P(at most k mismatches) for independent items with these mismatch probabilities."""
    dp = [1.0] + [0.0] * k
    for p in mismatch:
        for i in range(k, 0, -1):
            dp[i] = dp[i] * (1 - p) + dp[i - 1] * p
        dp[0] *= 1 - p
    return min(1.0, sum(dp))


def _chance(centre: str, group: list[Row], pool: list[Row], alphabet: list[set], k: int):
    """(q, reference size): the chance that one respondent at the group's level lands within
    k answers of the centre, from the agency's respondents at that level (the group among
    them: a copied sheet weighs in by its share, a content agency's common answers by theirs)."""
    level = fmean(r.score for r in group)
    ranked = sorted(pool, key=lambda r: abs(r.score - level))
    ref = [r for r in ranked if abs(r.score - level) <= NEAR_BAND]
    if len(ref) < NEAR_REF + len(group):
        ref = ranked[: NEAR_REF + len(group)]
    n = len(ref)
    columns = list(zip(*(r.sheet for r in ref), strict=True))
    mismatch = []
    for j, answer in enumerate(centre):
        same = columns[j].count(answer)
        choices = max(2, len(alphabet[j] | {answer}))
        mismatch.append(1 - (same + 0.5) / (n + 0.5 * choices))
    return _within(mismatch, k), n


def _binomial_tail(k: int, n: int, p: float) -> float:
    from itas.surveys.credibility.signals import binomial_tail

    return binomial_tail(k, n, p)


def _blocks(length: int, k: int) -> list[slice]:
    """k + 1 slices covering the sheet: two sheets within k answers agree on one of them."""
    bounds = [round(i * length / (k + 1)) for i in range(k + 2)]
    return [slice(a, b) for a, b in zip(bounds, bounds[1:], strict=False)]


def near_groups(rows: list[Row]) -> list[Group]:
    """The agency's improbable groups of near-identical sheets that raise its score."""
    by_length: dict[int, list[Row]] = defaultdict(list)
    for r in rows:
        if r.sheet and not r.all_best and r.score < NEAR_CEILING:
            by_length[len(r.sheet)].append(r)
    found: list[Group] = []
    for length, same_length in by_length.items():
        if len(same_length) < NEAR_MIN + NEAR_OTHERS:
            continue
        found.extend(_groups_of(same_length, length))
    return found


def _groups_of(same_length: list[Row], length: int) -> list[Group]:
    k = reach(length)
    members: dict[str, list[Row]] = defaultdict(list)
    for r in same_length:
        members[r.sheet].append(r)
    keys = list(members)
    size = {s: len(members[s]) for s in keys}
    # Pigeonhole: every sheet within reach of s shares one of s's blocks exactly, so the
    # sheets in s's blocks' buckets bound its neighbourhood from above (cheap, one pass).
    blocks = _blocks(length, k)
    buckets: dict[tuple[int, str], int] = defaultdict(int)
    for s in keys:
        for b, cut in enumerate(blocks):
            buckets[(b, s[cut])] += size[s]
    bound = {
        s: size[s] + sum(buckets[(b, s[cut])] - size[s] for b, cut in enumerate(blocks))
        for s in keys
    }
    order = sorted((s for s in keys if bound[s] >= NEAR_MIN), key=lambda s: -bound[s])
    if not order:
        return []
    alphabet = [set(column) for column in zip(*keys, strict=True)]
    found: list[Group] = []
    grouped: set[str] = set()
    around: set[str] = set()  # within reach of a centre already tried
    tried = 0
    for centre in order:
        if tried >= MAX_CENTRES:
            break
        if centre in grouped or centre in around:
            continue
        near = [
            s
            for s, _d, _i in process.extract(
                centre, keys, scorer=Hamming.distance, score_cutoff=k, limit=None
            )
            if s not in grouped
        ]
        group = [r for s in near for r in members[s]]
        if len(group) < NEAR_MIN:
            continue
        tried += 1
        around.update(near)
        ids = {r.id for r in group}
        others = [r for r in same_length if r.id not in ids]
        if len(others) < NEAR_OTHERS:
            continue
        if fmean(r.score for r in group) <= fmean(r.score for r in others):
            continue
        q, n = _chance(centre, group, same_length, alphabet, k)
        tail = _binomial_tail(len(group), n, q) * len(keys)
        if tail < NEAR_TAIL and len(group) >= NEAR_RATIO * n * q:
            found.append(Group(group, n * q, tail))
            grouped.update(near)
    return found
