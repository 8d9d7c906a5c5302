"""A clause as words that parsers take one phrase at a time.

Every parser ``take``s the words it understood; whatever is left at the end
is checked against the filler words, so a word nobody understood ("remove
the drums in the chorus") stops the plan instead of being silently dropped.
"""
from __future__ import annotations

import re

USED = "_"
"""What a taken word reads as in ``view`` (no pattern matches it)."""

FILLER = frozenset("""
the a an please can could would will you i i'd id i'm im want wanna like to let's lets let me my it
some just also now so of for with in at on by it's its we us our this that these those there
then and also too ok okay hey partita yeah maybe kindly try trying go ahead do does
song track tracks part parts piece tune music whole entire little bit bits more one really
should be is are get gets got give make makes made have has need needs new play plays
""".split())
"""Words that carry no meaning of their own in an instruction."""


class Clause:
    """The normalised words of one clause, with what has been taken from them."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.words = text.split()
        self.used = [False] * len(self.words)

    def view(self) -> str:
        """The words with taken ones replaced by ``USED``, joined by single spaces."""
        return " ".join(USED if u else w for w, u in zip(self.words, self.used))

    def _span_words(self, start: int, end: int) -> range:
        """Word indexes covered by characters [start, end) of ``view()``."""
        pos, first, last = 0, None, None
        for i, word in enumerate(self.view().split(" ")):
            lo, hi = pos, pos + len(word)
            if hi > start and lo < end:
                first = i if first is None else first
                last = i
            pos = hi + 1
        return range(0, 0) if first is None or last is None else range(first, last + 1)

    def find(self, pattern: str | re.Pattern[str]) -> re.Match[str] | None:
        """The first whole-word match of ``pattern`` in the untaken words, or None."""
        regex = pattern if isinstance(pattern, re.Pattern) else re.compile(rf"(?<!\S)(?:{pattern})(?!\S)")
        return regex.search(self.view())

    def take(self, pattern: str | re.Pattern[str]) -> re.Match[str] | None:
        """Like ``find``, and mark the matched words as taken."""
        match = self.find(pattern)
        if match is not None:
            self.take_span(match.start(), match.end())
        return match

    def take_all(self, pattern: str) -> int:
        """Take every match of ``pattern``; return how many were taken."""
        count = 0
        while self.take(pattern) is not None:
            count += 1
        return count

    def take_span(self, start: int, end: int) -> None:
        for i in self._span_words(start, end):
            self.used[i] = True

    def has(self, pattern: str) -> bool:
        return self.find(pattern) is not None

    def left(self) -> list[str]:
        """Words not taken yet, in order."""
        return [w for w, u in zip(self.words, self.used) if not u]

    def unknown(self) -> list[str]:
        """Untaken words that are not filler: what nobody understood."""
        return [w for w in self.left() if w not in FILLER and w != ","]

    def fork(self) -> "Clause":
        """A copy to try a parse on without changing this one."""
        copy = Clause(self.text)
        copy.used = list(self.used)
        return copy
