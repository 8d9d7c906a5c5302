"""Settings of the separators, with their documented defaults.

Segment and overlap defaults were chosen by measurement (tests/bench/bench_separate.py
prints the figures behind them; the README quotes them).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ChunkConfig:
    """How a long input is cut into segments that are separated one at a time.

    segment_s: length of one segment (seconds at the model's rate). Memory and
        the latency of the first progress report grow with it.
    overlap_s: how much neighbouring segments overlap (seconds); across the
        overlap the earlier segment fades out while the next fades in, with
        weights that sum to one, so seams do not click and stems that sum to
        their segment still sum to the input.
    """

    segment_s: float = 10.0
    overlap_s: float = 1.0

    def __post_init__(self) -> None:
        if self.segment_s <= 0 or self.overlap_s < 0:
            raise ValueError("segment_s must be > 0 and overlap_s >= 0")
        if self.overlap_s >= self.segment_s / 2:
            raise ValueError(f"overlap_s ({self.overlap_s}) must be less than half of "
                             f"segment_s ({self.segment_s})")

    def samples(self, sample_rate: int) -> tuple[int, int]:
        """(segment, overlap) in samples at ``sample_rate``."""
        return round(self.segment_s * sample_rate), round(self.overlap_s * sample_rate)
