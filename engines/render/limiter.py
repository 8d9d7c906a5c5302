"""Fixed gain staging for a mix: a constant master gain, and a limiter that acts
only around the samples that would cross the ceiling.

A DAW user expects an edit to change only the audio it touches, so nothing
here depends on the whole render: the master gain is a constant, and the
limiter's gain at a sample depends only on the audio within
``2 * MixConfig.limiter_hold_s`` of it. Everywhere else the gain is exactly 1.

The limiter works on blocks of ``hold`` samples. A block's required gain is
``target / peak`` (at most 1); each block takes the smallest requirement of
itself and its two neighbours, and the per-sample gain is the moving average
of that over ``2 * hold + 1`` samples. Every block that average touches
requires at most the gain of the sample's own block, so ``gain * |x| <= target``
holds at every sample, and the gain moves in straight ramps (no clicks).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

CEILING_DBFS = -1.0
"""The highest sample peak a mix or stem may reach (dBFS)."""
_MARGIN = 0.9995
"""Aim this far below the ceiling, so float32 rounding never crosses it."""


@dataclass(frozen=True)
class MixConfig:
    """How stems become a mix.

    master_gain_db: constant gain (dB) on the mix and every stem; leaves room
        for a few loud tracks before the limiter has to act.
    ceiling_dbfs: no sample of the mix or of a stem goes above this (dBFS).
    limiter_hold_s: the limiter's block (s); its gain ramps over two blocks
        either side of a loud spot and is exactly 1 farther away.
    """

    master_gain_db: float = -3.0
    ceiling_dbfs: float = CEILING_DBFS
    limiter_hold_s: float = 0.02

    def __post_init__(self) -> None:
        if self.ceiling_dbfs > 0.0:
            raise ValueError(f"ceiling_dbfs must be <= 0, not {self.ceiling_dbfs}")
        if self.limiter_hold_s <= 0.0:
            raise ValueError(f"limiter_hold_s must be > 0, not {self.limiter_hold_s}")

    @property
    def master_gain(self) -> float:
        return float(10.0 ** (self.master_gain_db / 20.0))


@dataclass(frozen=True)
class GainRegion:
    """The limiter's gain over ``[start, start + len(gain))``; 1 outside every region.

    gain: float32 (m,), each value in (0, 1].
    """

    start: int
    gain: np.ndarray

    @property
    def stop(self) -> int:
        return self.start + len(self.gain)


def limiter_regions(signals: Sequence[np.ndarray], sample_rate: int,
                    config: MixConfig = MixConfig()) -> tuple[GainRegion, ...]:
    """Where and by how much to turn ``signals`` down so none of them crosses the ceiling.

    signals: float32 (channels, n) arrays of one length n, at ``sample_rate``
    (e.g. the mix and the stems it sums). One gain serves all of them, so
    sums stay sums. Returns no region when nothing crosses.
    """
    target = _MARGIN * 10.0 ** (config.ceiling_dbfs / 20.0)
    if not signals or all(s.size == 0 or max(float(s.max()), -float(s.min())) <= target for s in signals):
        return ()
    hold = max(1, round(config.limiter_hold_s * sample_rate))
    block_gain = _block_gains(signals, hold, target)
    return tuple(_regions(block_gain, hold, signals[0].shape[-1]))


def apply_regions(audio: np.ndarray, regions: Sequence[GainRegion]) -> np.ndarray:
    """``audio`` (channels, n) with each region's gain applied (a new array when any applies)."""
    if not regions:
        return audio
    out = np.array(audio, dtype=np.float32)
    for region in regions:
        stop = min(region.stop, out.shape[-1])
        out[..., region.start:stop] *= region.gain[: stop - region.start]
    return out


def _block_gains(signals: Sequence[np.ndarray], hold: int, target: float) -> np.ndarray:
    """float64 (blocks,): the gain each block of ``hold`` samples needs (<= 1)."""
    n = signals[0].shape[-1]
    full = n // hold
    peak = np.zeros(-(-n // hold))
    for s in signals:
        for start, stop, count in ((0, full * hold, full), (full * hold, n, 1)):
            if stop > start:
                part = s[:, start:stop].reshape(s.shape[0], count, -1)
                top = np.maximum(part.max(axis=(0, 2)), -part.min(axis=(0, 2)))
                peak[start // hold: start // hold + count] = np.maximum(
                    peak[start // hold: start // hold + count], top)
    return np.minimum(1.0, target / np.maximum(peak, 1e-30))


def _regions(block_gain: np.ndarray, hold: int, n: int) -> list[GainRegion]:
    """Runs of blocks whose smoothed gain is below 1, as per-sample gain regions."""
    padded = np.concatenate([[1.0, 1.0], block_gain, [1.0, 1.0]])
    spread = np.minimum(np.minimum(padded[:-2], padded[1:-1]), padded[2:])  # blocks -1 .. B
    before, here, after = spread[:-2], spread[1:-1], spread[2:]             # for blocks 0 .. B-1
    touched = np.flatnonzero(np.minimum(np.minimum(before, here), after) < 1.0)
    offset = np.arange(hold, dtype=np.float64)
    regions = []
    for run in np.split(touched, np.flatnonzero(np.diff(touched) > 1) + 1):
        k = run[:, None]
        gain = ((hold - offset) * before[k] + hold * here[k] + (offset + 1) * after[k]) / (2 * hold + 1)
        start = int(run[0]) * hold
        regions.append(GainRegion(start, gain.reshape(-1)[: n - start].astype(np.float32)))
    return regions
