"""The key of a recording from its pitch-class profile (the summed chroma of every frame).

Krumhansl's method: correlate the profile with a major and a minor key
profile rotated to each of the 12 tonics; the best correlation names the key.
The profiles are Albrecht & Shanahan's (2013), which on rendered band songs
beat Krumhansl & Kessler's (38 of 40 against 26 of 40: the K-K major profile
too often hears the relative minor or the dominant; see
tests/bench/bench_tempo.py). A key is only claimed when the best correlation
beats the runner-up by ``margin``.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MAJOR = np.array([0.238, 0.006, 0.111, 0.006, 0.137, 0.094, 0.016, 0.214, 0.009, 0.080, 0.008, 0.081])
MINOR = np.array([0.220, 0.006, 0.104, 0.123, 0.019, 0.103, 0.012, 0.214, 0.062, 0.022, 0.061, 0.052])
"""Albrecht & Shanahan's key profiles, pitch classes from the tonic."""


@dataclass(frozen=True)
class KeyEstimate:
    """tonic: pitch class 0-11 (0 = C); mode: "major" or "minor"; correlation: with the
    key's profile (-1..1); margin: how much it beats the next best key's."""

    tonic: int
    mode: str
    correlation: float
    margin: float


def estimate_key(profile: np.ndarray, *, margin: float) -> KeyEstimate | None:
    """The key whose profile correlates best with ``profile`` (float (12,), pitch class
    energy from C), or None when the profile is empty or no key wins by ``margin``."""
    profile = np.asarray(profile, dtype=np.float64)
    if profile.shape != (12,) or np.ptp(profile) <= 0:
        return None
    scores = sorted(((float(np.corrcoef(profile, np.roll(shape, tonic))[0, 1]), tonic, mode)
                     for tonic in range(12) for mode, shape in (("major", MAJOR), ("minor", MINOR))),
                    reverse=True)
    (best, tonic, mode), runner_up = scores[0], scores[1][0]
    if best - runner_up < margin:
        return None
    return KeyEstimate(tonic, mode, best, best - runner_up)
