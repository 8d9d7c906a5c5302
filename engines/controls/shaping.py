"""Turning frame measurements into control curves, shared by audio and notes.

dynamics: power per frame -> dB relative to the loudest frame, Savitzky-Golay
smoothed. rhythm: onset times -> onsets per second. melody: picks per frame.
"""
from __future__ import annotations

import numpy as np

from engines.common import CONTROL_FRAME_RATE
from engines.controls.config import ControlsConfig


def _savgol_window(n: int, seconds: float, polyorder: int) -> int:
    """Odd window (frames) for ``seconds``, shrunk to fit ``n`` frames; 0 = no smoothing."""
    window = int(round(seconds * CONTROL_FRAME_RATE)) | 1
    window = min(window, n if n % 2 else n - 1)
    return window if window > polyorder else 0


def dynamics_curve(level_db: np.ndarray, config: ControlsConfig) -> np.ndarray:
    """Smoothed loudness relative to the loudest frame.

    level_db: (frames,) float64 level per frame in dB (any reference; -inf for
    silence is fine). Returns float32 (frames,) in [dynamics_floor_db, 0]: the
    level clipped to ``dynamics_floor_db`` below the loudest frame, smoothed by
    a Savitzky-Golay filter of ~``dynamics_smoothing_s``, then shifted so the
    loudest smoothed frame is 0 dB.
    """
    from scipy.signal import savgol_filter

    if len(level_db) == 0:
        return np.zeros(0, dtype=np.float32)
    level = np.asarray(level_db, dtype=np.float64)
    top = float(np.max(level))
    if not np.isfinite(top):
        return np.full(len(level), config.dynamics_floor_db, dtype=np.float32)
    level = np.clip(level - top, config.dynamics_floor_db, 0.0)
    window = _savgol_window(len(level), config.dynamics_smoothing_s, config.dynamics_polyorder)
    if window:
        level = savgol_filter(level, window, config.dynamics_polyorder, mode="interp")
    level -= level.max()
    return np.clip(level, config.dynamics_floor_db, 0.0).astype(np.float32)


def onset_density(onsets: np.ndarray, n_frames: int, config: ControlsConfig) -> np.ndarray:
    """Onsets per second around each frame.

    onsets: onset times in seconds. Returns float32 (n_frames,): the onset
    train averaged under a Hann window of ``density_window_s`` with unit area,
    so a steady r onsets/s reads r.
    """
    train = np.zeros(n_frames, dtype=np.float64)
    index = np.round(np.asarray(onsets, dtype=np.float64) * CONTROL_FRAME_RATE).astype(np.int64)
    index = index[(index >= 0) & (index < n_frames)]
    np.add.at(train, index, 1.0)
    length = max(3, int(round(config.density_window_s * CONTROL_FRAME_RATE)) | 1)
    window = np.hanning(length + 2)[1:-1]
    window *= CONTROL_FRAME_RATE / window.sum()
    if n_frames == 0:
        return np.zeros(0, dtype=np.float32)
    return _convolve_same(train, window).astype(np.float32)


def _convolve_same(signal: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Centred convolution with output of ``len(signal)`` (kernel of odd length)."""
    from scipy.signal import fftconvolve

    full = fftconvolve(signal, kernel, mode="full")
    start = len(kernel) // 2
    return np.maximum(full[start: start + len(signal)], 0.0)


def merge_onsets(times: np.ndarray, min_gap: float) -> np.ndarray:
    """Sorted onset times (seconds) with any onset within ``min_gap`` of the previous kept one dropped."""
    times = np.sort(np.asarray(times, dtype=np.float64))
    if len(times) == 0:
        return times
    kept = [times[0]]
    for t in times[1:]:
        if t - kept[-1] >= min_gap:
            kept.append(t)
    return np.asarray(kept)


def pick_onsets(flux: np.ndarray, config: ControlsConfig) -> np.ndarray:
    """Onset times (seconds) from a spectral-flux envelope at the control frame rate.

    Peak picking as in librosa's ``onset_detect`` on the envelope scaled to
    [0, 1]; an envelope with no variation has no onsets.
    """
    import librosa

    env = np.asarray(flux, dtype=np.float64)
    if len(env) < 3 or np.ptp(env) <= 1e-9:
        return np.zeros(0)
    env = (env - env.min()) / np.ptp(env)
    rate = CONTROL_FRAME_RATE
    wait = max(1, int(round(config.onset_min_gap_s * rate)))
    peaks = librosa.util.peak_pick(env, pre_max=wait, post_max=1, pre_avg=int(0.1 * rate),
                                   post_avg=int(0.1 * rate) + 1, delta=config.onset_delta,
                                   wait=wait)
    return np.asarray(peaks, dtype=np.float64) / rate
