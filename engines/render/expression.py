"""Expression: a dynamics curve (dB per control frame) shapes a rendered track continuously.

Like a player's swell pedal (MIDI CC 11) after MIDI-DDSP's performance layer:
the curve scales the level sample by sample and, at low levels, also softens
the tone, the way a quieter bow or breath gives a darker sound.
"""
from __future__ import annotations

import numpy as np

from engines.common import CONTROL_FRAME_RATE
from engines.render.config import RenderConfig
from engines.render.filters import one_pole_lowpass

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


BLOCK = 64
"""Samples between the points where the gain is computed exactly (linear in between)."""


def gain_db_at_blocks(dynamics: np.ndarray, n: int, sample_rate: int,
                      config: RenderConfig) -> np.ndarray:
    """The expression gain in dB at samples 0, BLOCK, 2*BLOCK, ... covering ``n`` samples.

    Frame i of the curve sits at i / CONTROL_FRAME_RATE seconds; between frames
    the gain is interpolated, past the last frame it holds the last value.
    Returns float64 (ceil(n / BLOCK) + 1,).
    """
    curve = curve_db(dynamics, config)
    points = np.arange(-(-n // BLOCK) + 1) * (BLOCK / sample_rate)
    if len(curve) == 0:
        return np.full(len(points), config.neutral_db)
    return np.interp(points, np.arange(len(curve)) / CONTROL_FRAME_RATE, curve)


def expand_blocks(values: np.ndarray, n: int) -> np.ndarray:
    """Values at every BLOCK-th sample -> float32 (n,), linearly interpolated between them."""
    values = values.astype(np.float32)
    ramp = np.arange(BLOCK, dtype=np.float32) / BLOCK
    fine = values[:-1, None] + (values[1:] - values[:-1])[:, None] * ramp[None, :]
    return fine.reshape(-1)[:n]


def apply_expression(audio: np.ndarray, dynamics: np.ndarray | None, sample_rate: int,
                     config: RenderConfig) -> np.ndarray:
    """Scale (and at low levels darken) ``audio`` float32 (2, n) by the dynamics curve.

    Returns a new float32 (2, n) array; ``audio`` is returned unchanged when
    ``dynamics`` is None or entirely unspecified at the neutral level.
    """
    n = audio.shape[-1]
    if dynamics is None or n == 0:
        return audio
    db = gain_db_at_blocks(dynamics, n, sample_rate, config)
    if not np.any(np.abs(db) > 1e-3):
        return audio
    out = audio * expand_blocks(10.0 ** (db / 20.0), n)
    amount = config.expression_brightness * np.clip(db / DARK_AT_DB, 0.0, 1.0)
    if np.any(amount > 0.01):
        out -= expand_blocks(amount, n) * (out - one_pole_lowpass(out, DARK_CUTOFF_HZ, sample_rate))
    return out
