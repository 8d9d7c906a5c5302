"""Levelling: velocities nudged so the music's own loudness follows the dynamics curve.

A generated arrangement is louder where more parts play, where a fill or a
crash comes, where a held note has just been struck. Read symbolically
(``engines.controls.symbolic``: the summed power of the sounding notes, as
the renderer plays velocities, with the dynamics curve as expression), the
level of the music is compared with the curve over its specified frames, and
each note's velocity moves against the error where it sounds; a few rounds
bring the shape of the rendered loudness onto the curve's.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Sequence

import numpy as np

from engines.common import CONTROL_FRAME_RATE
from engines.controls.config import ControlsConfig
from engines.controls.symbolic import NotePart, note_power
from engines.generate.dynamics import MAX_VELOCITY, MIN_VELOCITY


def music_level(parts: Sequence[NotePart], n: int, config: ControlsConfig) -> np.ndarray:
    """Smoothed loudness of the parts in dB relative to their loudest frame, float32 (n,).

    As ``engines.controls.shaping.dynamics_curve`` reads audio (floor, ~1 s
    smoothing, loudest frame 0 dB), with a moving average for its first-order
    Savitzky-Golay filter (the same inside the piece; it spares importing
    scipy.signal, a second of start-up).
    """
    power = note_power(parts, n, config)
    with np.errstate(divide="ignore"):
        level = 10.0 * np.log10(power)
    if n == 0 or not np.isfinite(level.max()):
        return np.full(n, config.dynamics_floor_db, dtype=np.float32)
    level = np.clip(level - level.max(), config.dynamics_floor_db, 0.0)
    width = max(1, min(n, int(round(config.dynamics_smoothing_s * CONTROL_FRAME_RATE)) | 1))
    padded = np.pad(level, (width // 2, width - 1 - width // 2), mode="edge")
    level = np.convolve(padded, np.ones(width) / width, mode="valid")
    return (level - level.max()).astype(np.float32)


def level(parts: Sequence[NotePart], target: np.ndarray, *, scale: float, fixed: Sequence[bool] = (),
          rounds: int = 3, strength: float = 0.8, config: ControlsConfig | None = None) -> list[NotePart]:
    """The parts with velocities moved so their level follows ``scale`` times ``target``.

    target: float32 (n,) dB per control frame (NaN = unspecified; only
    specified frames are compared). fixed: per part, True for parts that
    sound but may not change (other tracks). Parts keep their notes' times
    and pitches; only velocities (12-127) change.
    """
    config = config or ControlsConfig()
    target = np.asarray(target, dtype=np.float64)
    given = np.isfinite(target)
    if given.sum() < 2 or not parts:
        return list(parts)
    n = len(target)
    out = list(parts)
    for _ in range(rounds):
        err = music_level(out, n, config).astype(np.float64) - scale * np.where(given, target, 0.0)
        err -= err[given].mean()
        err[~given] = 0.0
        out = [p if i < len(fixed) and fixed[i] else _nudged(p, err, strength) for i, p in enumerate(out)]
    return out


def _nudged(part: NotePart, err: np.ndarray, strength: float) -> NotePart:
    """Each note's velocity moved by ``-strength`` times the mean error (dB) while it sounds."""
    notes = []
    for note in part.notes:
        a = int(note.start * CONTROL_FRAME_RATE)
        b = max(a + 1, int((note.start + max(note.duration, 0.1)) * CONTROL_FRAME_RATE))
        e = float(err[min(a, len(err) - 1): min(b, len(err))].mean()) if a < len(err) else 0.0
        v = note.velocity * 10.0 ** (-strength * e / 40.0)
        notes.append(replace(note, velocity=int(np.clip(round(v), MIN_VELOCITY, MAX_VELOCITY))))
    return replace(part, notes=tuple(notes))
