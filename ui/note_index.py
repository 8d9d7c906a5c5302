"""A MIDI track's notes as sorted numpy arrays, for drawing and hit-testing many notes fast.

No Qt here. Built in a few milliseconds for 20,000 notes; queries are a
binary search plus a vectorised filter, so the piano roll only touches the
notes it can see.
"""
from __future__ import annotations

import numpy as np

from app.project import Note, Project, note_order


class NoteIndex:
    """Arrays over ``notes`` (sorted by ``note_order``), aligned by index.

    ``start``/``end``: int64 ticks. ``start_s``/``end_s``: float64 seconds via
    the project's tempo map. ``pitch``/``velocity``: int64.
    """

    def __init__(self, notes: list[Note], project: Project) -> None:
        self.notes = sorted(notes, key=note_order)
        data = np.array([(n.start, n.duration, n.pitch, n.velocity) for n in self.notes],
                        dtype=np.int64).reshape(-1, 4)
        self.start = data[:, 0]
        self.end = data[:, 0] + data[:, 1]
        self.pitch = data[:, 2]
        self.velocity = data[:, 3]
        self.start_s = project.tick_to_seconds(self.start)
        self.end_s = project.tick_to_seconds(self.end)
        self.max_len_s = float((self.end_s - self.start_s).max(initial=0.0))

    def __len__(self) -> int:
        return len(self.notes)

    def visible(self, t0: float, t1: float, p0: float = -1, p1: float = 128) -> np.ndarray:
        """Indices of notes overlapping seconds [t0, t1] and pitches [p0, p1]."""
        lo = int(np.searchsorted(self.start_s, t0 - self.max_len_s, side="left"))
        hi = int(np.searchsorted(self.start_s, t1, side="right"))
        idx = np.arange(lo, hi)
        keep = (self.end_s[lo:hi] >= t0) & (self.pitch[lo:hi] >= p0) & (self.pitch[lo:hi] <= p1)
        return idx[keep]

    def at(self, seconds: float, pitch: int) -> int:
        """Index of the note under (seconds, pitch) (the latest-starting one), else -1."""
        idx = self.visible(seconds, seconds, pitch, pitch)
        idx = idx[(self.start_s[idx] <= seconds) & (self.end_s[idx] > seconds)]
        return int(idx[-1]) if len(idx) else -1

    def in_box(self, t0: float, t1: float, p0: float, p1: float) -> list[Note]:
        """Notes that touch the box of seconds [t0, t1] x pitches [p0, p1]."""
        idx = self.visible(min(t0, t1), max(t0, t1), min(p0, p1), max(p0, p1))
        return [self.notes[i] for i in idx.tolist()]

    def indices_of(self, notes: set[Note]) -> np.ndarray:
        """Indices of the given notes (those present), as int64."""
        if not notes:
            return np.zeros(0, dtype=np.int64)
        return np.array([i for i, n in enumerate(self.notes) if n in notes], dtype=np.int64)
