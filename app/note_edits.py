"""Note edits as pure functions: the piano roll turns gestures into these, then ``ReplaceNotes``.

Each returns new ``Note`` values and never mutates; results are clamped so
they always fit the command's checks (start >= 0, pitch 0-127, duration >= 1,
velocity 1-127).
"""
from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from app.project import Note


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
