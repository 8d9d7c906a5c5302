"""Key finding and scales on pitch classes (Krumhansl-Kessler profiles).

A key is an index 0-23: tonic pitch class + 12 * mode, mode 0 = major and
1 = minor; -1 means unknown.
"""
from __future__ import annotations

import numpy as np

MAJOR_PROFILE = np.array([6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88])
MINOR_PROFILE = np.array([6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17])
MAJOR_SCALE = (0, 2, 4, 5, 7, 9, 11)
MINOR_SCALE = (0, 2, 3, 5, 7, 8, 10, 11)
"""Natural minor plus the raised leading tone, which minor-key music uses all the time (A minor:
G and G sharp are both in key). The one scale definition: scale lock and the piano roll's
shading both read ``scale_classes``."""
MODES = ("major", "minor")
UNKNOWN_KEY = -1


def key_index(tonic: int, mode: str) -> int:
    """(2, "minor") -> 14."""
    return tonic % 12 + 12 * MODES.index(mode)


def key_parts(key: int) -> tuple[int, str]:
    """14 -> (2, "minor")."""
    return key % 12, MODES[key // 12]


def find_key(histogram: np.ndarray) -> int:
    """The best-correlating key for a pitch-class histogram (float (12,), e.g. durations).

    Returns ``UNKNOWN_KEY`` for an empty histogram.
    """
    h = np.asarray(histogram, dtype=np.float64)
    if h.sum() <= 0 or np.allclose(h, h[0]):
        return UNKNOWN_KEY
    scores = []
    for profile in (MAJOR_PROFILE, MINOR_PROFILE):
        for tonic in range(12):
            scores.append(np.corrcoef(h, np.roll(profile, tonic))[0, 1])
    return int(np.argmax(scores))


def pitch_class_histogram(pitch: np.ndarray, rest: int = 128) -> np.ndarray:
    """Steps per pitch class of a pitch grid (any shape, ``rest`` = silent): float (12,)."""
    sounding = pitch[pitch != rest].astype(np.int64)
    return np.bincount(sounding % 12, minlength=12).astype(np.float64)


def scale_classes(tonic: int, mode: str) -> frozenset[int]:
    """Pitch classes of the scale of a key given as (tonic 0-11, "major" | "minor")."""
    degrees = MAJOR_SCALE if mode == "major" else MINOR_SCALE
    return frozenset((tonic + d) % 12 for d in degrees)


def scale_mask(key: int) -> np.ndarray:
    """Which of the 128 MIDI pitches belong to the key's scale: bool (128,).

    All True for ``UNKNOWN_KEY``.
    """
    if key == UNKNOWN_KEY:
        return np.ones(128, dtype=bool)
    classes = scale_classes(*key_parts(key))
    return np.array([p % 12 in classes for p in range(128)])
