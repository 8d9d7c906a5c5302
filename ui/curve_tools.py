"""Pencil, line and eraser strokes over a control curve, in frames (no Qt).

A stroke starts from a copy of the curve (float32 per control frame, NaN =
unspecified), changes the frames the gesture covers and, when finished,
becomes one ``SetCurveSpan`` over exactly the changed span.

pencil: freehand; frames between two mouse samples are interpolated, so a
fast drag leaves no holes. line: a straight ramp from the press to the
current point. eraser: every frame between the press and the current point
becomes unspecified.
"""
from __future__ import annotations

import math

import numpy as np

from app.commands import SetCurveSpan, erase_curve_span
from engines.common import CONTROL_FRAME_RATE

TOOLS = ("pencil", "line", "eraser")
RANGES = {"melody": (36.0, 96.0), "dynamics": (-60.0, 0.0), "rhythm": (0.0, 16.0)}
"""Value range each lane shows: MIDI pitch, dB (<= 0), onsets per second."""
UNITS = {"melody": "pitch", "dynamics": "dB", "rhythm": "onsets/s"}


def clean_value(name: str, value: float) -> float:
    """Clamp to the curve's range; melody snaps to whole semitones."""
    lo, hi = RANGES[name]
    value = min(hi, max(lo, float(value)))
    return float(round(value)) if name == "melody" else value


def seconds_to_frame(seconds: float) -> int:
    return int(math.floor(seconds * CONTROL_FRAME_RATE + 0.5))


class Stroke:
    """One gesture. Lifecycle: ``Stroke(...)`` at press -> ``to(frame, value)`` per move -> ``command()``."""

    def __init__(self, tool: str, name: str, curve: np.ndarray, frame: int, value: float) -> None:
        if tool not in TOOLS:
            raise ValueError(f"unknown curve tool {tool!r}")
        self.tool = tool
        self.name = name
        self.original = np.asarray(curve, dtype=np.float32)
        self.curve = self.original.copy()
        self.n = len(self.curve)
        self.anchor = (self._clamp(frame), clean_value(name, value))
        self.last = self.anchor
        self.lo = self.hi = self.anchor[0]
        self.to(frame, value)

    def _clamp(self, frame: int) -> int:
        return max(0, min(self.n - 1, int(frame)))

    def to(self, frame: int, value: float) -> None:
        """Extend the stroke to (frame, value)."""
        if self.n == 0:
            return
        point = (self._clamp(frame), clean_value(self.name, value))
        if self.tool == "pencil":
            self._segment(self.last, point)
            self.lo, self.hi = min(self.lo, point[0]), max(self.hi, point[0])
        else:
            self.curve[:] = self.original
            self.lo, self.hi = min(self.anchor[0], point[0]), max(self.anchor[0], point[0])
            if self.tool == "line":
                self._segment(self.anchor, point)
            else:
                self.curve[self.lo:self.hi + 1] = np.nan
        self.last = point

    def _segment(self, a: tuple[int, float], b: tuple[int, float]) -> None:
        (f0, v0), (f1, v1) = sorted([a, b])
        frames = np.arange(f0, f1 + 1)
        values = np.interp(frames, [f0, f1 + 1e-9], [v0, v1]) if f1 > f0 else np.full(1, v1)
        if self.name == "melody":
            values = np.round(values)
        self.curve[f0:f1 + 1] = values.astype(np.float32)

    @property
    def span(self) -> tuple[int, int]:
        """Frames [start, stop) the stroke covers."""
        return self.lo, self.hi + 1

    def command(self) -> SetCurveSpan | None:
        """The edit, or None when the stroke changed nothing."""
        if self.n == 0:
            return None
        start, stop = self.span
        new, old = self.curve[start:stop], self.original[start:stop]
        if np.array_equal(new, old, equal_nan=True):
            return None
        if self.tool == "eraser":
            return erase_curve_span(self.name, start, stop)
        label = "Draw line" if self.tool == "line" else "Draw curve"
        return SetCurveSpan(self.name, start, new, label=f"{label} ({self.name})")


def specified_spans(curve: np.ndarray) -> list[tuple[int, int]]:
    """[start, stop) frame runs where ``curve`` is not NaN."""
    finite = np.isfinite(curve).astype(np.int8)
    edges = np.diff(np.concatenate([[0], finite, [0]]))
    return list(zip(np.flatnonzero(edges == 1).tolist(), np.flatnonzero(edges == -1).tolist()))
