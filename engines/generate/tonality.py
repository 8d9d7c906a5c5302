"""The key to generate in: asked for, or found in the controls and the notes already there."""
from __future__ import annotations

import numpy as np

from engines.compose.keys import MAJOR_PROFILE, MINOR_PROFILE, MODES, UNKNOWN_KEY, find_key, key_index


def curve_histogram(pitch_classes: np.ndarray | None) -> np.ndarray:
    """Frames per pitch class of a curve (float (n,), NaN unspecified): float64 (12,)."""
    if pitch_classes is None:
        return np.zeros(12)
    values = np.asarray(pitch_classes, dtype=np.float64)
    values = np.mod(np.round(values[np.isfinite(values)]), 12).astype(np.int64)
    return np.bincount(values, minlength=12).astype(np.float64)


def choose_key(histogram: np.ndarray, *, tonic: int | None = None, mode: str | None = None) -> int:
    """A key index 0-23 (``engines.compose.keys``).

    Both asked: that key. Only one asked: the best-fitting key that has it.
    Neither: the best-fitting key of the histogram (float (12,), e.g. frames
    or note durations per pitch class); C major when the histogram is empty.
    """
    if tonic is not None and mode is not None:
        return key_index(tonic, mode)
    h = np.asarray(histogram, dtype=np.float64)
    if h.sum() <= 0 or np.allclose(h, h[0]):
        return key_index(tonic if tonic is not None else (9 if mode == "minor" else 0), mode or "major")
    if tonic is None and mode is None:
        found = find_key(h)
        return found if found != UNKNOWN_KEY else 0
    best, score = 0, -np.inf
    for m, profile in enumerate((MAJOR_PROFILE, MINOR_PROFILE)):
        for t in range(12):
            if (tonic is not None and t != tonic) or (mode is not None and MODES[m] != mode):
                continue
            s = float(np.corrcoef(h, np.roll(profile, t))[0, 1])
            if s > score:
                best, score = t + 12 * m, s
    return best


def tonic_anchor(key: int, steps: list[int], length: int, *, low: int, high: int) -> list[tuple[int, int, int]]:
    """(pitch, start step, length) of tonic notes at ``steps`` in [low, high], the lowest octave
    above ``low`` + 5 (a part that starts or ends a piece on its keynote)."""
    tonic = key % 12
    pitch = next((p for p in range(low + 5, high + 1) if p % 12 == tonic), low + (tonic - low) % 12)
    return [(pitch, s, length) for s in steps]
