"""The dynamics control on notes: a dB curve -> velocities, with metric accents and a human touch.

The renderer already plays the project's dynamics curve as expression (a
swell pedal). Velocities follow the curve too, by ``share`` of its dB (a
player plays harder in a crescendo, which also brightens the tone), so the
rendered level moves (1 + share) times the curve's dB in its specified
frames, and by ``share`` alone where it is unspecified and the curve is
bridged by interpolation. Velocity v sounds at 40 log10(v / 127) dB (the GM
curve the renderer uses).
"""
from __future__ import annotations

import numpy as np

from engines.common import CONTROL_FRAME_RATE

MIN_VELOCITY, MAX_VELOCITY = 12, 127


def curve_at(curve: np.ndarray | None, seconds: np.ndarray) -> np.ndarray:
    """dB of a frame curve at ``seconds`` (float64, same shape).

    curve: float32 (n,) dB per control frame, NaN = unspecified; gaps are
    bridged linearly and the ends held, so every time gets a value. No curve
    or nothing specified: zeros (the loudest level, the notes' own).
    """
    t = np.asarray(seconds, dtype=np.float64)
    if curve is None:
        return np.zeros_like(t)
    values = np.asarray(curve, dtype=np.float64)
    given = np.flatnonzero(np.isfinite(values))
    if len(given) == 0:
        return np.zeros_like(t)
    return np.interp(t * CONTROL_FRAME_RATE, given.astype(np.float64), values[given])


def velocities(base: np.ndarray | float, db: np.ndarray, *, share: float) -> np.ndarray:
    """Velocities (int64, 12-127) for notes whose loudest-level velocity is ``base``,
    at curve levels ``db`` (dB <= 0): ``base * 10 ** (share * db / 40)``."""
    v = np.asarray(base, dtype=np.float64) * 10.0 ** (share * np.minimum(db, 0.0) / 40.0)
    return np.clip(np.round(v), MIN_VELOCITY, MAX_VELOCITY).astype(np.int64)


def metric_accent(beat_position: np.ndarray, beats_per_bar: int) -> np.ndarray:
    """Velocity offsets for onsets at ``beat_position`` (float beats from a bar line):
    +8 on the downbeat, +4 on other beats, 0 on half beats, -4 elsewhere (float64)."""
    pos = np.mod(np.asarray(beat_position, dtype=np.float64), beats_per_bar)
    frac = np.mod(pos, 1.0)
    on_beat = np.minimum(frac, 1.0 - frac) < 0.06
    half = np.abs(frac - 0.5) < 0.06
    down = on_beat & ((pos < 0.06) | (pos > beats_per_bar - 0.06))
    return np.where(down, 8.0, np.where(on_beat, 4.0, np.where(half, 0.0, -4.0)))


def humanised(values: np.ndarray, spread: float, rng: np.random.Generator) -> np.ndarray:
    """``values`` plus Gaussian noise of ``spread`` clipped to twice that (float64)."""
    noise = np.clip(rng.normal(0.0, spread, np.shape(values)), -2 * spread, 2 * spread) if spread else 0.0
    return np.asarray(values, dtype=np.float64) + noise
