"""The ``Controls`` result: melody, dynamics and rhythm curves on the control grid.

Frames are ``CONTROL_HOP`` (512) samples at ``CONTROL_SAMPLE_RATE`` (44.1 kHz),
frame ``k`` centred at ``k / CONTROL_FRAME_RATE`` seconds from 0:00.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from engines.common import CONTROL_FRAME_RATE


def n_frames_for(duration: float) -> int:
    """Control frames that cover ``duration`` seconds: ceil(duration * frame rate)."""
    return max(0, math.ceil(round(duration * CONTROL_FRAME_RATE, 6)))


def frame_times(n_frames: int) -> np.ndarray:
    """Centre time (seconds, float64) of each of ``n_frames`` control frames."""
    return np.arange(n_frames, dtype=np.float64) / CONTROL_FRAME_RATE


def _frames(values: np.ndarray | None, n: int) -> np.ndarray:
    out = np.full(n, np.nan, dtype=np.float32)
    if values is not None:
        values = np.asarray(values, dtype=np.float32).reshape(-1)
        out[: min(n, len(values))] = values[:n]
    out.setflags(write=False)
    return out


def _times(values: np.ndarray | None) -> np.ndarray | None:
    if values is None:
        return None
    out = np.sort(np.asarray(values, dtype=np.float64).reshape(-1))
    out.setflags(write=False)
    return out


@dataclass(frozen=True, eq=False)
class Controls:
    """Time-varying controls of a piece (Music ControlNet's melody, dynamics, rhythm).

    All frame arrays are float32 of shape (n_frames,) at ``frame_rate`` Hz from
    0:00, NaN where the control is unspecified:
      melody: MIDI pitch (from notes; NaN everywhere when read from audio,
        whose octave is unknown).
      melody_chroma: pitch class 0-11 of the melody.
      dynamics: loudness in dB relative to the loudest frame (<= 0).
      rhythm: onset density in onsets per second.
    beats, downbeats: sorted float64 arrays of times in seconds, or None when
      unspecified (an empty array means "no beats"; extraction always fills
      them).
    duration: seconds covered. Arrays are read-only.
    """

    duration: float
    melody: np.ndarray
    melody_chroma: np.ndarray
    dynamics: np.ndarray
    rhythm: np.ndarray
    beats: np.ndarray | None
    downbeats: np.ndarray | None
    frame_rate: float = field(default=CONTROL_FRAME_RATE)

    @classmethod
    def build(cls, duration: float, *, melody: np.ndarray | None = None,
              melody_chroma: np.ndarray | None = None, dynamics: np.ndarray | None = None,
              rhythm: np.ndarray | None = None, beats: np.ndarray | None = None,
              downbeats: np.ndarray | None = None) -> "Controls":
        """Controls of ``duration`` s; each curve is cut or NaN-padded to the grid.

        When only ``melody`` is given, ``melody_chroma`` is derived from it.
        """
        n = n_frames_for(duration)
        melody_f = _frames(melody, n)
        if melody_chroma is None and melody is not None:
            melody_chroma = np.mod(np.round(melody_f), 12)
        return cls(duration=float(duration), melody=melody_f,
                   melody_chroma=_frames(melody_chroma, n), dynamics=_frames(dynamics, n),
                   rhythm=_frames(rhythm, n), beats=_times(beats), downbeats=_times(downbeats))

    @property
    def n_frames(self) -> int:
        return len(self.dynamics)

    def pitch_classes(self) -> np.ndarray:
        """Pitch class per frame (float32, NaN unspecified): melody's if known, else chroma."""
        from_melody = np.mod(np.round(self.melody), 12)
        return np.where(np.isnan(from_melody), self.melody_chroma, from_melody).astype(np.float32)
