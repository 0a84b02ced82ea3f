"""Reading a large query in batches: what the streaming exports and the national reads share
(memory stays flat however many rows there are)."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


def batched(rows: Iterable[T], size: int) -> Iterator[list[T]]:
    """Lists of `size` items in order, the last one shorter (itertools.batched of Python 3.12,
    as lists)."""
    it = iter(rows)
    while batch := list(itertools.islice(it, size)):
        yield batch
