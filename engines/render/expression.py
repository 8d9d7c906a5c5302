"""Expression: a dynamics curve (dB per control frame) shapes a rendered track continuously.

Like a player's swell pedal (MIDI CC 11) after MIDI-DDSP's performance layer:
the curve scales the level sample by sample and, at low levels, also softens
the tone, the way a quieter bow or breath gives a darker sound.
"""
from __future__ import annotations

import numpy as np

from engines.common import CONTROL_FRAME_RATE
from engines.render.config import RenderConfig

DARK_CUTOFF_HZ = 1200.0
"""Cut-off of the low-pass that quiet passages fade towards."""
DARK_AT_DB = -30.0
"""Level (dB) at which the tone is darkened by the full ``expression_brightness``."""


def curve_db(dynamics: np.ndarray, config: RenderConfig) -> np.ndarray:
    """The curve as it will be played: NaN -> neutral, clipped, smoothed.

    dynamics: float32 (frames,) dB at CONTROL_FRAME_RATE, NaN = unspecified.
    Returns float64 (frames,) dB.
    """
    curve = np.asarray(dynamics, dtype=np.float64).copy()
    curve[~np.isfinite(curve)] = config.neutral_db
    curve = np.clip(curve, config.expression_floor_db, 0.0)
    width = max(1, int(round(config.expression_smooth_s * CONTROL_FRAME_RATE)))
    if width > 1 and len(curve) > 1:
        padded = np.pad(curve, (width // 2, width - 1 - width // 2), mode="edge")
        curve = np.convolve(padded, np.ones(width) / width, mode="valid")
    return curve


def gain_db_at_samples(dynamics: np.ndarray, n: int, sample_rate: int,
                       config: RenderConfig) -> np.ndarray:
    """The expression gain in dB for each of ``n`` samples from 0:00, float32 (n,).

    Frame i of the curve sits at i / CONTROL_FRAME_RATE seconds; between frames
    the gain is interpolated, past the last frame it holds the last value.
    """
    curve = curve_db(dynamics, config)
    if len(curve) == 0:
        return np.full(n, config.neutral_db, dtype=np.float32)
    frame_times = np.arange(len(curve)) / CONTROL_FRAME_RATE
    step = 32
    coarse_t = np.arange(0, n + step, step) / sample_rate
    coarse = np.interp(coarse_t, frame_times, curve)
    fine = np.interp(np.arange(n, dtype=np.float64), np.arange(len(coarse)) * step, coarse)
    return fine.astype(np.float32)


def apply_expression(audio: np.ndarray, dynamics: np.ndarray | None, sample_rate: int,
                     config: RenderConfig) -> np.ndarray:
    """Scale (and at low levels darken) ``audio`` float32 (2, n) by the dynamics curve.

    Returns a new float32 (2, n) array; ``audio`` is returned unchanged when
    ``dynamics`` is None or entirely unspecified at the neutral level.
    """
    if dynamics is None or audio.shape[-1] == 0:
        return audio
    db = gain_db_at_samples(dynamics, audio.shape[-1], sample_rate, config)
    if not np.any(np.abs(db) > 1e-3):
        return audio
    out = audio * np.power(np.float32(10.0), db / np.float32(20.0))
    amount = config.expression_brightness * np.clip(db / DARK_AT_DB, 0.0, 1.0)
    if np.any(amount > 0.01):
        out = out - amount.astype(np.float32) * (out - _lowpass(out, sample_rate))
    return out.astype(np.float32, copy=False)


def _lowpass(audio: np.ndarray, sample_rate: int) -> np.ndarray:
    """A zero-latency-ish one-pole low-pass at DARK_CUTOFF_HZ over the last axis."""
    from scipy.signal import lfilter

    a = float(np.exp(-2 * np.pi * DARK_CUTOFF_HZ / sample_rate))
    return lfilter([1.0 - a], [1.0, -a], audio, axis=-1).astype(np.float32)
