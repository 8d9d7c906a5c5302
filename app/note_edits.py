"""Note edits as pure functions: the piano roll turns gestures into these, then ``ReplaceNotes``.

Each returns new ``Note`` values and never mutates; results are clamped so
they always fit the command's checks (start >= 0, pitch 0-127, duration >= 1,
velocity 1-127). ``overlaps`` says what placing notes does to the notes of
the same pitch they land on.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, replace
from typing import Sequence

from app.project import Note

MAX_LOOKBACK = 64
"""Placed notes of one pitch that may still sound at a given start (checked before it)."""


def clamp_shift(notes: Sequence[Note], ticks: int, semitones: int) -> tuple[int, int]:
    """The largest shift toward (ticks, semitones) that keeps every note in range."""
    if not notes:
        return 0, 0
    ticks = max(ticks, -min(n.start for n in notes))
    semitones = max(-min(n.pitch for n in notes), min(semitones, 127 - max(n.pitch for n in notes)))
    return ticks, semitones


def shifted(notes: Sequence[Note], ticks: int, semitones: int) -> list[Note]:
    """Notes moved in time and pitch (clamped as a group, so chords keep their shape)."""
    ticks, semitones = clamp_shift(notes, ticks, semitones)
    return [replace(n, start=n.start + ticks, pitch=n.pitch + semitones) for n in notes]


def resized(notes: Sequence[Note], ticks: int, *, minimum: int = 1) -> list[Note]:
    """Each note's end moved by ``ticks``; none gets shorter than ``minimum`` ticks (or its own length)."""
    return [replace(n, duration=max(min(minimum, n.duration), n.duration + ticks, 1)) for n in notes]


def with_velocity(notes: Sequence[Note], velocity: int) -> list[Note]:
    v = max(1, min(127, int(velocity)))
    return [replace(n, velocity=v) for n in notes]


def duplicated(notes: Sequence[Note], step: int) -> list[Note]:
    """Copies placed right after the selection, its span rounded up to ``step`` ticks (0: exact)."""
    if not notes:
        return []
    start = min(n.start for n in notes)
    span = max(n.end for n in notes) - start
    if step:
        span = -(-span // step) * step
    return [replace(n, start=n.start + span) for n in notes]


@dataclass(frozen=True)
class Overlaps:
    """What placing notes does to the other notes of their pitches (see ``overlaps``)."""

    removed: tuple[Note, ...] = ()
    """Notes that started under a placed note: the placed note replaces them."""
    shortened: tuple[tuple[Note, Note], ...] = ()
    """(before, after) of notes that sounded into a placed note: they now end where it starts."""

    def __bool__(self) -> bool:
        return bool(self.removed or self.shortened)

    def describe(self) -> str:
        """ "replaced 1 note of the same pitch under it; shortened 2 notes that ran into it"."""
        parts = []
        if self.removed:
            parts.append(f"replaced {_count(len(self.removed))} of the same pitch under it")
        if self.shortened:
            parts.append(f"shortened {_count(len(self.shortened))} that ran into it")
        return "; ".join(parts)


def _count(n: int) -> str:
    return f"{n} note" if n == 1 else f"{n} notes"


def overlaps(placed: Sequence[Note], others: Sequence[Note]) -> Overlaps:
    """A DAW's rule for notes dropped onto notes of the same pitch (one channel cannot sound a
    pitch twice at once: the first note-off would end both). A note of ``others`` that starts
    under a placed note is removed; one that starts before a placed note and sounds into it is
    cut to end where the placed note starts. ``placed``: the notes as they will be."""
    starts: dict[int, list[Note]] = {}
    for note in sorted(placed, key=lambda n: n.start):
        starts.setdefault(note.pitch, []).append(note)
    keys = {pitch: [n.start for n in notes] for pitch, notes in starts.items()}
    removed: list[Note] = []
    shortened: list[tuple[Note, Note]] = []
    for other in others:
        mine = starts.get(other.pitch)
        if not mine:
            continue
        i = bisect_right(keys[other.pitch], other.start)
        if any(n.start <= other.start < n.end for n in mine[max(0, i - MAX_LOOKBACK):i]):
            removed.append(other)
        elif i < len(mine) and mine[i].start < other.end:
            shortened.append((other, replace(other, duration=mine[i].start - other.start)))
    return Overlaps(tuple(removed), tuple(shortened))
