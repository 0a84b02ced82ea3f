"""Access codes: 6 characters from an alphabet with nothing to confuse when read aloud, typed
from a poster or copied by hand (no 0/O, 1/I/L, 2/Z, 5/S, 8/B, U/V)."""

from __future__ import annotations

import secrets

ALPHABET = "34679ACDEFGHJKMNPQRTWXY"
LENGTH = 6


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(text: str) -> str:
    """What a person typed → the code as stored (upper case, no spaces or dashes)."""
    return "".join(ch for ch in (text or "").upper() if not ch.isspace() and ch != "-")


def is_well_formed(code: str) -> bool:
    return len(code) == LENGTH and all(ch in ALPHABET for ch in code)


def unique_codes(count: int, taken: set[str]) -> list[str]:
    """`count` fresh codes, none of them in `taken` (which grows with them)."""
    out: list[str] = []
    while len(out) < count:
        code = new_code()
        if code not in taken:
            taken.add(code)
            out.append(code)
    return out
