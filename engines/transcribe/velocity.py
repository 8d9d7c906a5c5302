"""Velocities from loudness.

A note's level is the loudest value of its level curve (dB) over its attack
(``attack_ms`` from its start). The loudest note of the part gets ``top``;
every other note gets ``top`` times its amplitude ratio to that one raised to
1/2, which inverts the General MIDI velocity curve (amplitude grows as
velocity squared), so the velocity differences a player made come back as
they were played, only with the part's loudest note pinned at ``top``.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engines.transcribe.nmp import FRAME_RATE


@dataclass(frozen=True)
class VelocityConfig:
    """top: velocity of the part's loudest note. floor: the lowest velocity written.
    attack_ms: how long after a note's start its level is read."""

    top: int = 110
    floor: int = 16
    attack_ms: float = 80.0


def note_levels(level_db: np.ndarray, starts: np.ndarray, ends: np.ndarray,
                config: VelocityConfig = VelocityConfig()) -> np.ndarray:
    """float64 (n_notes,): the largest of ``level_db`` (float (n_frames,), dB) over each note's
    attack, frames ``starts[i]`` to ``min(ends[i], starts[i] + attack)`` (at least one frame)."""
    attack = max(1, int(round(config.attack_ms / 1000 * FRAME_RATE)))
    out = np.empty(len(starts))
    for i, (a, b) in enumerate(zip(starts, ends)):
        a = int(min(max(a, 0), len(level_db) - 1))
        out[i] = level_db[a:max(a + 1, min(int(b), a + attack))].max()
    return out


def velocities(levels_db: np.ndarray, config: VelocityConfig = VelocityConfig()) -> np.ndarray:
    """int (n_notes,) MIDI velocities for note levels in dB (see the module docstring)."""
    if len(levels_db) == 0:
        return np.zeros(0, dtype=np.int64)
    ratio = 10.0 ** ((np.asarray(levels_db, dtype=np.float64) - np.max(levels_db)) / 40.0)
    return np.clip(np.round(config.top * ratio), config.floor, 127).astype(np.int64)
