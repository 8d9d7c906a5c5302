"""What controlled generation is asked to do (``GenerateTask``, ``Curves``) and what it gives
back (``Generated``); shared by the pipeline and the rules that play the parts."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from engines.common import Note
from engines.compose.grid import GridTrack
from engines.generate.attributes import Resolved
from engines.generate.timing import BeatGrid


@dataclass(frozen=True, eq=False)
class Curves:
    """Control curves, float32 (n,) per control frame from 0:00, NaN = unspecified.

    melody: MIDI pitch. melody_chroma: pitch class 0-11 (used where melody is
    NaN). dynamics: dB relative to the loudest frame (<= 0). rhythm: onsets
    per second. Any may be None (nothing specified).
    """

    melody: np.ndarray | None = None
    melody_chroma: np.ndarray | None = None
    dynamics: np.ndarray | None = None
    rhythm: np.ndarray | None = None


@dataclass(frozen=True)
class GenerateTask:
    """What to write. Times in 16th steps of ``grid``.

    tracks: every track of the piece (new, empty ones included). write: the
    indices to write; drum tracks get the drum engine, the rest the
    composer. start, stop: the span [start, stop) in steps (whole bars).
    key: 0-23 (``engines.compose.keys``). attributes: everything decided.
    gains_db: each track's gain (dB; missing = 0), for levelling.
    """

    grid: BeatGrid
    tracks: tuple[GridTrack, ...]
    write: tuple[int, ...]
    start: int
    stop: int
    key: int
    attributes: Resolved
    curves: Curves = field(default_factory=Curves)
    gains_db: tuple[float, ...] = ()


@dataclass(frozen=True)
class Generated:
    """One variation: ``notes[i]`` are the new notes (seconds) of ``task.write[i]`` in the span."""

    notes: tuple[tuple[Note, ...], ...]


def role_index(task: GenerateTask, role: str, *, written: bool = True) -> int | None:
    for i, track in enumerate(task.tracks):
        if track.role == role and not track.is_drum and (i in task.write or not written):
            return i
    return None
