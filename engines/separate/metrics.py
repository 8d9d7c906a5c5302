"""Separation quality: signal-to-distortion ratios of estimated stems against the true ones.

Two flavours, both "plain" SDR (no distortion filter, unlike BSS Eval v4):
- ``sdr``: over the whole signal, 10 log10(sum s^2 / sum (s - s_hat)^2), as the
  Music Demixing Challenge 2021 scores (its "new SDR" / utterance SDR);
- ``framewise_sdr``: the same over non-overlapping 1-s frames, then the median
  over frames, as museval reports per track (frames whose reference is silent
  are skipped, as museval skips them).
"""
from __future__ import annotations

import numpy as np

EPS = 1e-10


def sdr(reference: np.ndarray, estimate: np.ndarray) -> float:
    """SDR in dB of ``estimate`` against ``reference`` (same shape, any channels, float)."""
    ref = np.asarray(reference, dtype=np.float64)
    err = ref - np.asarray(estimate, dtype=np.float64)
    return float(10 * np.log10((np.sum(ref * ref) + EPS) / (np.sum(err * err) + EPS)))


def framewise_sdr(reference: np.ndarray, estimate: np.ndarray, frame: int, *, silence_db: float = -60.0) -> float:
    """Median over ``frame``-sample windows (last partial one dropped) of the per-window SDR (dB).

    reference, estimate: (..., n). A window whose reference energy is ``silence_db`` below the
    loudest window's is skipped; NaN when every window is skipped.
    """
    ref = np.asarray(reference, dtype=np.float64)
    est = np.asarray(estimate, dtype=np.float64)
    n = ref.shape[-1] // frame
    if n == 0:
        return float("nan")
    r = ref[..., : n * frame].reshape(-1, n, frame).transpose(1, 0, 2).reshape(n, -1)
    e = est[..., : n * frame].reshape(-1, n, frame).transpose(1, 0, 2).reshape(n, -1)
    energy = (r * r).sum(axis=1)
    keep = energy > energy.max() * 10 ** (silence_db / 10)
    if not keep.any():
        return float("nan")
    scores = 10 * np.log10((energy[keep] + EPS) / (((r - e)[keep] ** 2).sum(axis=1) + EPS))
    return float(np.median(scores))
