"""The composer's representation: tracks split into monophonic lanes on a 16th grid.

Time is counted in **steps** of a 16th note (``STEPS_PER_QUARTER`` = 4). A track
(``GridTrack``) holds notes in steps; a polyphonic track (piano chords) is split
into as many **lanes** as it has simultaneous notes, each lane monophonic, so
every cell of the model's grid holds one lane at one step:

- ``pitch`` uint8: the sounding MIDI pitch 0-127, or ``REST`` (128);
- ``onset`` bool: a note starts here (False on rests and held steps);
- ``velocity`` uint8: the velocity of the note starting here (0 elsewhere).

Encoding then decoding gives back exactly the same notes (pitch, start,
duration, velocity) for any notes whose starts and durations are whole steps;
two notes of one track that sound together go to different lanes, so chords
and overlapping notes survive. What the caller quantises before this module
(see ``steps_from_ticks``): starts and ends are rounded to the nearest 16th,
a note that rounds to no length keeps one step, triplets snap to the grid.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

STEPS_PER_QUARTER = 4
"""Grid steps per quarter note: the grid is a 16th-note grid."""
REST = 128
"""The pitch value of a silent cell."""
ROLES = ("melody", "harmony", "bass", "counter", "drums", "other")
"""Track roles, the same words as ``app.project.Role``."""


@dataclass(frozen=True, slots=True)
class GridNote:
    """A note in grid steps: ``start`` >= 0, ``duration`` >= 1, pitch 0-127, velocity 1-127."""

    pitch: int
    start: int
    duration: int
    velocity: int = 96

    @property
    def end(self) -> int:
        return self.start + self.duration


@dataclass(frozen=True)
class GridTrack:
    """One track for the composer: notes in steps plus what the track is.

    ``role`` is one of ``ROLES``; ``program`` a GM program 0-127; a drum track
    (``is_drum``) holds GM drum notes and is read and written by drum family
    (see ``drums``) whatever its role says.
    """

    name: str
    role: str = "other"
    program: int = 0
    is_drum: bool = False
    notes: tuple[GridNote, ...] = field(default_factory=tuple)


def steps_from_ticks(ticks: int, ppq: int) -> int:
    """Round a tick position to the nearest 16th step (halves round up)."""
    return int(np.floor(ticks * STEPS_PER_QUARTER / ppq + 0.5))


def assign_lanes(notes: tuple[GridNote, ...] | list[GridNote]) -> list[list[GridNote]]:
    """Split notes into monophonic lanes, highest note of a chord in lane 0.

    A note goes to the first lane whose last note has ended by its start; a
    new lane opens when none has. Notes are taken by start, then high to low.
    """
    lanes: list[list[GridNote]] = []
    ends: list[int] = []
    for note in sorted(notes, key=lambda n: (n.start, -n.pitch, -n.duration)):
        for i, end in enumerate(ends):
            if end <= note.start:
                lanes[i].append(note)
                ends[i] = note.end
                break
        else:
            lanes.append([note])
            ends.append(note.end)
    return lanes


def encode_lane(notes: list[GridNote], n_steps: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One monophonic lane to (pitch uint8 (T,), onset bool (T,), velocity uint8 (T,)).

    Notes that start at or after ``n_steps`` are dropped; a note running past
    the end is cut there.
    """
    pitch = np.full(n_steps, REST, dtype=np.uint8)
    onset = np.zeros(n_steps, dtype=bool)
    velocity = np.zeros(n_steps, dtype=np.uint8)
    for note in notes:
        if note.start >= n_steps:
            continue
        pitch[note.start:note.end] = note.pitch
        onset[note.start] = True
        velocity[note.start] = note.velocity
    return pitch, onset, velocity


def decode_lane(pitch: np.ndarray, onset: np.ndarray, velocity: np.ndarray | None = None,
                *, default_velocity: int = 96) -> list[GridNote]:
    """Cells of one lane back to notes.

    A note starts where the cell sounds and either has an onset, follows a
    rest, or changes pitch; it lasts while the pitch stays and no new onset
    comes. ``velocity`` (uint8 (T,)) gives each onset's velocity; zero or
    missing entries use ``default_velocity``.
    """
    notes: list[GridNote] = []
    n = len(pitch)
    t = 0
    while t < n:
        p = int(pitch[t])
        if p == REST:
            t += 1
            continue
        end = t + 1
        while end < n and int(pitch[end]) == p and not onset[end]:
            end += 1
        vel = int(velocity[t]) if velocity is not None and velocity[t] else default_velocity
        notes.append(GridNote(p, t, end - t, vel))
        t = end
    return notes


def bar_positions(n_steps: int, steps_per_bar: int, *, pickup: int = 0) -> np.ndarray:
    """Position of each step in its bar, uint8 (T,), for a constant meter.

    ``pickup``: steps of an incomplete first bar (0 = the music starts on a
    downbeat).
    """
    offset = (steps_per_bar - pickup) % steps_per_bar if pickup else 0
    return ((np.arange(n_steps) + offset) % steps_per_bar).astype(np.uint8)
