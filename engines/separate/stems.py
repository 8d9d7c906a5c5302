"""The separation result: four stems of a mix, plus the pieces a stream yields."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SOURCES = ("drums", "bass", "other", "vocals")
"""The stems every separator returns, in this order (Demucs' and MUSDB's order)."""


@dataclass(frozen=True, eq=False)
class StemBlock:
    """A finished stretch of the stems, as a stream yields it.

    start: first sample of the block, counted from 0:00 of the input.
    audio: float32 (len(SOURCES), channels, n) at the input's sample rate.
    """

    start: int
    audio: np.ndarray

    @property
    def stop(self) -> int:
        return self.start + int(self.audio.shape[-1])


@dataclass(frozen=True, eq=False)
class Stems:
    """Separated stems of a whole input.

    audio: float32 (len(sources), channels, frames), read-only, same sample
        rate, channel count and length as the input.
    sample_rate: Hz. method: which separator made them (e.g. "embedded:mask-tcn/1",
        "hdemucs"). sources: the stem names, ``SOURCES``.
    """

    audio: np.ndarray
    sample_rate: int
    method: str
    sources: tuple[str, ...] = SOURCES

    def __post_init__(self) -> None:
        if self.audio.ndim != 3 or self.audio.shape[0] != len(self.sources):
            raise ValueError(f"stems must be (sources, channels, frames), got {self.audio.shape}")
        self.audio.setflags(write=False)

    def stem(self, name: str) -> np.ndarray:
        """float32 (channels, frames) of stem ``name``; KeyError for an unknown name."""
        if name not in self.sources:
            raise KeyError(f"no stem named {name!r}; stems are {', '.join(self.sources)}")
        return self.audio[self.sources.index(name)]

    def residual(self, mix: np.ndarray) -> float:
        """Peak of |mix - sum of stems| over the input, float; 0 for a perfect split.

        mix: float32 (channels, frames), the input the stems came from.
        """
        return float(np.max(np.abs(mix - self.audio.sum(axis=0)), initial=0.0))
