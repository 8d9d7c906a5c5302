"""Separating a long input segment by segment, with cross-faded overlaps.

Streaming: segments are read one at a time through a ``Reader`` and the
finished part of the output is yielded as soon as no later segment can touch
it, so memory holds about two segments whatever the input's length. Each
output sample is the weighted average of the segments that cover it, with
linear fades across each overlap (positive weights, normalised by their sum):
if every segment's stems sum to that segment's mix, the output stems sum to
the input exactly (up to float rounding).
"""
from __future__ import annotations

from typing import Callable, Iterator

import numpy as np

from engines.common import CancelToken, Progress, no_progress
from engines.separate.stems import StemBlock

Reader = Callable[[int, int], np.ndarray]
"""(start, stop) in samples -> float32 (channels, stop - start) of the input."""
SegmentFn = Callable[[np.ndarray], np.ndarray]
"""float32 (channels, n) -> float32 (sources, channels, n): one segment separated."""


def segment_starts(total: int, segment: int, overlap: int) -> list[int]:
    """First sample of each segment: every ``segment - overlap`` samples, the last
    one ending exactly at ``total`` (so it may overlap its neighbour by more)."""
    if total <= segment:
        return [0]
    starts = list(range(0, total - segment, segment - overlap))
    return starts + [total - segment]


def segment_weights(n: int, fade_in: int, fade_out: int) -> np.ndarray:
    """float32 (n,) weights: linear ramps over the first ``fade_in`` and the last
    ``fade_out`` samples, 1 between; never 0, so every sample has a weight."""
    w = np.ones(n, dtype=np.float32)
    if fade_in > 0:
        w[:fade_in] = (np.arange(fade_in, dtype=np.float32) + 0.5) / fade_in
    if fade_out > 0:
        w[n - fade_out:] = np.minimum(w[n - fade_out:],
                                      (np.arange(fade_out, 0, -1, dtype=np.float32) - 0.5) / fade_out)
    return w


def stream(read: Reader, total: int, separate: SegmentFn, *, segment: int, overlap: int,
           progress: Progress = no_progress, cancel: CancelToken | None = None,
           ) -> Iterator[StemBlock]:
    """Yield the stems of ``total`` input samples as consecutive ``StemBlock``s.

    ``segment`` and ``overlap`` are in samples. Progress is reported once per
    segment; ``cancel`` is checked before each segment (raises ``Cancelled``).
    """
    starts = segment_starts(total, segment, overlap)
    acc: np.ndarray | None = None
    wacc = np.zeros(0, dtype=np.float32)
    acc_start = 0
    for k, start in enumerate(starts):
        if cancel is not None:
            cancel.check()
        stop = min(total, start + segment)
        out = separate(read(start, stop))
        fade_in = (acc_start + wacc.shape[0] - start) if k else 0
        fade_out = (stop - starts[k + 1]) if k + 1 < len(starts) else 0
        w = segment_weights(stop - start, max(fade_in, 0), max(fade_out, 0))
        acc, wacc = _accumulate(acc, wacc, acc_start, start, stop, out, w)
        acc_start = start
        done = starts[k + 1] if k + 1 < len(starts) else stop
        yield StemBlock(start, acc[..., : done - start] / wacc[: done - start])
        acc, wacc, acc_start = acc[..., done - start:], wacc[done - start:], done
        progress((k + 1) / len(starts), f"separated segment {k + 1} of {len(starts)}")


def _accumulate(acc: np.ndarray | None, wacc: np.ndarray, acc_start: int, start: int, stop: int,
                out: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Add ``out * w`` (covering [start, stop)) to the carried-over accumulator
    (covering [acc_start, acc_start + len(wacc)), acc_start == start); return
    new (acc, wacc) covering [start, stop)."""
    n = stop - start
    new = out * w
    new_w = w.copy()
    if acc is not None and wacc.shape[0]:
        keep = min(wacc.shape[0], n)
        new[..., :keep] += acc[..., :keep]
        new_w[:keep] += wacc[:keep]
    return new, new_w


def input_stats(read: Reader, total: int, *, block: int = 1 << 20) -> tuple[float, float]:
    """(mean, standard deviation) of the channel average of the input, read in blocks."""
    s = ss = 0.0
    for start in range(0, total, block):
        mono = read(start, min(total, start + block)).astype(np.float64).mean(axis=0)
        s += float(mono.sum())
        ss += float(np.dot(mono, mono))
    mean = s / max(total, 1)
    return mean, float(np.sqrt(max(ss / max(total, 1) - mean * mean, 0.0)))
