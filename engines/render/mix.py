"""Placing waveforms on a timeline, panning, and fitting lengths (the ceiling: ``limiter``)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

@dataclass(frozen=True)
class Placed:
    """A waveform to add at ``start`` (samples from 0:00), scaled by ``gain``.

    wave: float32 (2, n), usually a read-only cached array.
    """

    start: int
    wave: np.ndarray
    gain: float


def place_all(items: list[Placed], n_min: int = 0) -> np.ndarray:
    """Sum the placed waveforms into a float32 (2, n) buffer long enough for all of them."""
    n = max([n_min, *(p.start + p.wave.shape[1] for p in items)])
    out = np.zeros((2, n), dtype=np.float32)
    for p in items:
        end = p.start + p.wave.shape[1]
        if p.gain == 1.0:
            out[:, p.start:end] += p.wave
        else:
            out[:, p.start:end] += p.wave * np.float32(p.gain)
    return out


def pan_gains(pan: float) -> tuple[float, float]:
    """Constant-power (left, right) gains for pan -1..1, unity at the centre."""
    theta = (min(max(pan, -1.0), 1.0) + 1.0) * np.pi / 4.0
    return float(np.sqrt(2.0) * np.cos(theta)), float(np.sqrt(2.0) * np.sin(theta))


def apply_gain_pan(audio: np.ndarray, gain_db: float, pan: float) -> np.ndarray:
    """``audio`` float32 (2, n) scaled by ``gain_db`` and panned; returns a new array."""
    left, right = pan_gains(pan)
    level = 10.0 ** (gain_db / 20.0)
    gains = np.array([[left * level], [right * level]], dtype=np.float32)
    return audio * gains


def fit_length(audio: np.ndarray, n: int) -> np.ndarray:
    """``audio`` (channels, m) padded with silence or cut to (channels, n)."""
    if audio.shape[-1] == n:
        return audio
    if audio.shape[-1] > n:
        return audio[..., :n]
    pad = np.zeros((*audio.shape[:-1], n - audio.shape[-1]), dtype=audio.dtype)
    return np.concatenate([audio, pad], axis=-1)


def to_stereo(audio: np.ndarray) -> np.ndarray:
    """(channels, n) -> float32 (2, n): mono is doubled, more than two are folded L/R."""
    audio = np.asarray(audio, dtype=np.float32)
    if audio.ndim == 1:
        audio = audio[None]
    if audio.shape[0] == 2:
        return audio
    if audio.shape[0] == 1:
        return np.repeat(audio, 2, axis=0)
    return np.stack([audio[0::2].mean(axis=0), audio[1::2].mean(axis=0)])

