"""Block-wise streaming of audio: mono mix, resampling to 44.1 kHz, framing.

Memory stays bounded: the input is read ``block`` samples at a time, and only
one block (plus a little context) of the 44.1 kHz mono signal exists at once.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

import numpy as np

from engines.common import CONTROL_SAMPLE_RATE


def mono_chunks(samples: np.ndarray, sample_rate: int, chunk: int) -> Iterator[np.ndarray]:
    """Yield the mono mix of ``samples`` resampled to 44.1 kHz, in pieces.

    samples: (channels, n) or (n,) float array at ``sample_rate`` Hz.
    chunk: input samples read per step. Yields float32 1-D arrays whose
    concatenation is the whole resampled signal (soxr, high quality); NaN
    samples become silence and infinities full scale.
    """
    data = samples if samples.ndim == 2 else samples.reshape(1, -1)
    n = data.shape[1]
    resampler = None
    if sample_rate != CONTROL_SAMPLE_RATE:
        import soxr
        resampler = soxr.ResampleStream(sample_rate, CONTROL_SAMPLE_RATE, 1, dtype="float32")
    for start in range(0, max(n, 1), chunk):
        mono = data[:, start:start + chunk].mean(axis=0, dtype=np.float32)
        np.nan_to_num(mono, copy=False, nan=0.0, posinf=1.0, neginf=-1.0)
        last = start + chunk >= n
        if resampler is None:
            yield mono
        else:
            yield resampler.resample_chunk(mono, last=last)


def resampled_length(n: int, sample_rate: int) -> int:
    """Length of ``n`` samples at ``sample_rate`` once resampled to 44.1 kHz (estimate)."""
    if sample_rate == CONTROL_SAMPLE_RATE:
        return n
    return int(round(n * CONTROL_SAMPLE_RATE / sample_rate))


@dataclass(frozen=True)
class Block:
    """Samples ``[start, stop)`` of a stream with ``context`` extra samples each side.

    ``audio`` (float32) covers ``[start - context, stop + context)``; samples
    outside the signal are zeros.
    """

    start: int
    stop: int
    context: int
    audio: np.ndarray

    def frames(self, hop: int, size: int, first: int, count: int) -> np.ndarray:
        """``count`` frames of ``size`` samples centred at ``(first + i) * hop``.

        Returns a read-only (count, size) float32 view. The centres must lie
        within ``context - size // 2`` of the block.
        """
        offset = first * hop - size // 2 - (self.start - self.context)
        if offset < 0 or offset + (count - 1) * hop + size > len(self.audio):
            raise ValueError("frames reach outside the block's context")
        view = np.lib.stride_tricks.sliding_window_view(self.audio, size)
        return view[offset: offset + (count - 1) * hop + 1: hop][:count]


def frame_range(block: Block, hop: int) -> tuple[int, int]:
    """Indices [first, stop) of the frames (hop ``hop``) centred inside ``block``."""
    first = -(-block.start // hop)
    stop = -(-block.stop // hop)
    return first, stop


def blocks(chunks: Iterator[np.ndarray], block: int, context: int) -> Iterator[Block]:
    """Regroup a stream of chunks into ``Block``s of ``block`` samples with context.

    Blocks tile [0, n) in order; the last one's ``stop`` is the signal length
    n. An empty stream yields one empty block.
    """
    buf = np.zeros(context, dtype=np.float32)
    buf_start = -context
    start = 0
    for chunk in chunks:
        buf = np.concatenate([buf, chunk.astype(np.float32, copy=False)])
        while buf_start + len(buf) >= start + block + context:
            stop = start + block
            lo = start - context - buf_start
            yield Block(start, stop, context, buf[lo: lo + block + 2 * context])
            start = stop
            buf = buf[stop - context - buf_start:]
            buf_start = stop - context
    total = buf_start + len(buf)
    buf = np.concatenate([buf, np.zeros(block + 2 * context, dtype=np.float32)])
    while start < total or start == 0:
        stop = min(start + block, total)
        lo = start - context - buf_start
        yield Block(start, stop, context, buf[lo: lo + (stop - start) + 2 * context])
        start = stop
        if stop >= total:
            break
