"""Bar ranges in words and digits: "bars 5-8", "bars three to six", "from bar 9",
"the last four bars", "the second half", "the 3rd bar", "until bar 4".

Bars count from 1; a range is (first, last), inclusive. Words have been
normalised first (``words.normalise``: numbers are digits, ordinals "3rd").
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from engines.instruct.clause import Clause
from engines.instruct.plan import Refuse

BAR = r"(?:bars?|measures?)"
NUM = r"(\d+)(?:st|nd|rd|th)?"
PREP = r"(?:(?:in|for|over|across|during|on|at|of|from|between|throughout) )?(?:the )?"
SECTIONS = ("intro", "verse", "verses", "chorus", "choruses", "bridge", "outro", "pre-chorus",
            "prechorus", "hook section", "breakdown", "middle 8", "coda", "refrain")
VAGUE = ("the end", "the beginning", "the start", "the middle", "somewhere", "some bars",
         "a few bars", "later on")


@dataclass(frozen=True)
class BarSpec:
    """A range the user named. ``closed``: both ends were said (so it may run past the
    song's end, for a step that can lengthen the song)."""

    first: int
    last: int
    closed: bool = True

    @property
    def range(self) -> tuple[int, int]:
        return self.first, self.last


def _closed(a: str, b: str) -> BarSpec:
    first, last = sorted((int(a), int(b)))
    return BarSpec(first, last)


def _rules(bars: int) -> list[tuple[str, object]]:
    """(pattern, match -> BarSpec or None for "the whole song"), tried in order."""
    half = (bars + 1) // 2
    return [
        (rf"{PREP}(?:whole|entire) (?:song|piece|track|thing|way through)|everywhere|all the way through"
         rf"|all (?:the )?{BAR}|every {BAR}", lambda m: None),
        (rf"{PREP}{BAR} {NUM} ?(?:-|to|through|thru|until|till) ?(?:the )?end", lambda m: BarSpec(int(m[1]), bars, False)),
        (rf"{PREP}{BAR} {NUM}-{NUM}", lambda m: _closed(m[1], m[2])),
        (rf"{PREP}{BAR} {NUM} (?:to|through|thru|until|till|and) (?:{BAR} )?{NUM}", lambda m: _and_range(m, bars)),
        (rf"(?:from|starting (?:at|from|in|with)|beginning (?:at|in|with)) {BAR} {NUM}(?: (?:on|onwards|onward))?",
         lambda m: BarSpec(int(m[1]), bars, False)),
        (rf"after {BAR} {NUM}", lambda m: BarSpec(int(m[1]) + 1, bars, False)),
        (rf"(?:until|up to|through|thru|till|by) {BAR} {NUM}", lambda m: BarSpec(1, int(m[1]))),
        (rf"before {BAR} {NUM}", lambda m: BarSpec(1, int(m[1]) - 1)),
        (rf"{PREP}(1st|opening|starting) {NUM} {BAR}", lambda m: BarSpec(1, int(m[2]))),
        (rf"{PREP}(?:very )?(last|final|closing) {NUM} {BAR}",
         lambda m: BarSpec(max(1, bars - int(m[2]) + 1), bars)),
        (rf"{PREP}(?:very )?(1st|opening) {BAR}", lambda m: BarSpec(1, 1)),
        (rf"{PREP}(?:2nd to last|penultimate|next to last) {BAR}",
         lambda m: BarSpec(max(1, bars - 1), max(1, bars - 1))),
        (rf"{PREP}(?:very )?(last|final|closing) {BAR}", lambda m: BarSpec(bars, bars)),
        (rf"{PREP}(\d+)(?:st|nd|rd|th) {BAR}", lambda m: BarSpec(int(m[1]), int(m[1]))),
        (rf"{PREP}{BAR} {NUM}", lambda m: BarSpec(int(m[1]), int(m[1]))),
        (rf"{PREP}(1st|front|former) half(?: of (?:the |it)?(?:song|piece|it)?)?", lambda m: BarSpec(1, half)),
        (rf"{PREP}(2nd|back|latter|last) half(?: of (?:the |it)?(?:song|piece|it)?)?",
         lambda m: BarSpec(min(bars, half + 1), bars)),
    ]


def _and_range(match: re.Match[str], bars: int) -> BarSpec:
    first, last = int(match[1]), int(match[2])
    if " and " in match[0] and "between" not in match[0] and abs(last - first) > 1:
        raise Refuse(f"bars {first} and {last} are two separate places; one step works on one "
                     "range of bars", suggestions=(f"bars {min(first, last)}-{max(first, last)}",))
    return _closed(str(first), str(last))


def take_bars(clause: Clause, bars: int) -> tuple[bool, BarSpec | None]:
    """Take the clause's bar range: (found, spec); spec None means the whole song.

    Raises ``Refuse`` for sections Partita cannot locate ("the chorus"), vague
    places ("the end") and a second range in the same clause.
    """
    _refuse_sections(clause, bars)
    found, spec = False, None
    for pattern, make in _rules(bars):
        match = clause.find(pattern)
        if match is None:
            continue
        spec = make(match)  # type: ignore[operator]
        clause.take_span(match.start(), match.end())
        found = True
        break
    if found and any(clause.find(p) for p, _ in _rules(bars)[1:]):
        raise Refuse("one step works on one range of bars; give the other range its own instruction",
                     suggestions=("make bars 1-2 louder and bars 5-6 softer",))
    _refuse_vague(clause, bars)
    if spec is not None and (spec.first < 1 or spec.last < 1):
        raise Refuse(f"bars {spec.first}-{spec.last} is not a range of bars (bars count from 1)")
    return found, spec


def _refuse_sections(clause: Clause, bars: int) -> None:
    example = f"bars {max(1, bars - 3)}-{bars}"
    for word in SECTIONS:
        if clause.find(rf"(?:the )?{word}"):
            raise Refuse(f"Partita does not know where the {word} is; name the bars instead",
                         suggestions=(f"... in {example}", "... in the second half"))


def _refuse_vague(clause: Clause, bars: int) -> None:
    example = f"bars {max(1, bars - 3)}-{bars}"
    for phrase in VAGUE:
        if clause.find(rf"(?:at |in |to |from |for )?{phrase}"):
            raise Refuse(f"\"{phrase}\" does not say which bars; name them",
                         suggestions=(f"... in the last 4 bars", f"... in {example}"))
