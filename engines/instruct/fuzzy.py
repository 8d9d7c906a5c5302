"""Typo-tolerant word matching: optimal string alignment distance and a closest match."""
from __future__ import annotations

from typing import Iterable


def osa_distance(a: str, b: str) -> int:
    """Edits (insert, delete, substitute, swap two neighbours) that turn ``a`` into ``b``."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[len(b)]


def allowed_edits(word: str) -> int:
    """How many edits still count as a typo of a word this long (none below 4 letters)."""
    return 0 if len(word) < 4 else 1 if len(word) < 8 else 2


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The one candidate within ``allowed_edits`` of ``word``, or None (none, or a tie).

    The shorter of the two words sets the allowance, so "bas" is not taken for "bass".
    """
    best = nearest(word, candidates)
    return best[0] if len(best) == 1 else None


def nearest(word: str, candidates: Iterable[str]) -> list[str]:
    """Every candidate at the smallest distance from ``word`` within ``allowed_edits`` (sorted)."""
    best: list[str] = []
    best_distance = 99
    for candidate in sorted(set(candidates)):
        d = osa_distance(word, candidate)
        if d > allowed_edits(min(word, candidate, key=len)) or d > best_distance:
            continue
        if d < best_distance:
            best, best_distance = [candidate], d
        else:
            best.append(candidate)
    return best
