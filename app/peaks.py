"""Min/max pyramids of audio, so a waveform of any length draws at screen resolution.

Built once per stem (about 0.1 s for ten minutes of stereo); each query then
touches roughly as many values as there are pixels, whatever the zoom.
"""
from __future__ import annotations

import numpy as np

BASE_BLOCK = 64
"""Samples per block at the finest level."""
FACTOR = 4
"""Each level summarises this many blocks of the level below."""


class Peaks:
    """``levels[k]`` is float32 (channels, 2, blocks): [min, max] over ``block(k)`` samples.

    ``samples``: float32 (channels, frames), any rate; the raw array is kept
    (not copied) for close zooms.
    """

    def __init__(self, samples: np.ndarray) -> None:
        self.samples = samples
        self.frames = int(samples.shape[1])
        self.levels: list[np.ndarray] = []
        level = _reduce(samples[:, None, :], samples[:, None, :], BASE_BLOCK)
        while True:
            self.levels.append(level)
            if level.shape[2] <= 2 * FACTOR:
                break
            level = _reduce(level[:, :1], level[:, 1:], FACTOR)

    @property
    def channels(self) -> int:
        return int(self.samples.shape[0])

    @staticmethod
    def block(k: int) -> int:
        return BASE_BLOCK * FACTOR ** k

    def envelope(self, start: float, samples_per_pixel: float, width: int) -> np.ndarray:
        """Per-pixel [min, max]: float32 (channels, 2, width); NaN where there is no audio.

        Pixel ``i`` covers samples [start + i * spp, start + (i + 1) * spp), rounded
        out to whole blocks of the level used (a block belongs to the pixel where it starts).
        """
        spp = max(float(samples_per_pixel), 1e-9)
        edges = start + np.arange(width + 1, dtype=np.float64) * spp
        if spp < BASE_BLOCK:
            source, block = self.samples[:, None, :], 1
            lo_src = hi_src = source[:, 0]
        else:
            k = min(int(np.log(spp / BASE_BLOCK) / np.log(FACTOR) + 1e-9), len(self.levels) - 1)
            source, block = self.levels[k], self.block(k)
            lo_src, hi_src = source[:, 0], source[:, 1]
        n = lo_src.shape[1]
        first = np.floor(edges[:-1] / block).astype(np.int64)
        valid = (first >= 0) & (first < n) & (edges[1:] > 0)
        out = np.full((self.channels, 2, width), np.nan, dtype=np.float32)
        if not valid.any():
            return out
        idx = np.clip(first[valid], 0, n - 1)
        last_edge = edges[1:][valid][-1]
        end = int(min(n, max(idx[-1] + 1, np.floor(last_edge / block))))
        out[:, 0, valid] = np.minimum.reduceat(lo_src[:, :end], idx, axis=1)
        out[:, 1, valid] = np.maximum.reduceat(hi_src[:, :end], idx, axis=1)
        return out


def _reduce(lows: np.ndarray, highs: np.ndarray, factor: int) -> np.ndarray:
    """(channels, 1, n) lows and highs -> (channels, 2, ceil(n / factor)) [min, max]."""
    channels, _, n = lows.shape
    whole = n // factor * factor
    parts_lo = [lows[:, 0, :whole].reshape(channels, -1, factor).min(axis=2)]
    parts_hi = [highs[:, 0, :whole].reshape(channels, -1, factor).max(axis=2)]
    if whole < n:
        parts_lo.append(lows[:, 0, whole:].min(axis=1, keepdims=True))
        parts_hi.append(highs[:, 0, whole:].max(axis=1, keepdims=True))
    lo = np.concatenate(parts_lo, axis=1)
    hi = np.concatenate(parts_hi, axis=1)
    return np.stack([lo, hi], axis=1).astype(np.float32, copy=False)
