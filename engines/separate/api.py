"""The separation front: any ``Separator`` on an in-memory mix or a stream of one."""
from __future__ import annotations

from typing import Iterator, Protocol

import numpy as np

from engines.common import CancelToken, Progress, no_progress
from engines.separate.overlap_add import Reader
from engines.separate.stems import SOURCES, StemBlock, Stems


class Separator(Protocol):
    """What the app needs of a separator (``EmbeddedSeparator``, ``DemucsSeparator``).

    method: a short name for reports ("embedded", "hdemucs").
    rate_for(rate): the sample rate (Hz) an input at ``rate`` must be resampled to.
    stream(...): the stems of an input read through ``read``, as consecutive
        blocks; progress per segment, ``cancel`` checked between segments.
    """

    method: str

    def rate_for(self, sample_rate: int) -> int: ...

    def stream(self, read: Reader, total: int, channels: int, sample_rate: int, *,
               progress: Progress = no_progress, cancel: CancelToken | None = None,
               ) -> Iterator[StemBlock]: ...


def separate(separator: Separator, mix: np.ndarray, sample_rate: int, *,
             progress: Progress = no_progress, cancel: CancelToken | None = None) -> Stems:
    """Stems of ``mix`` float32 (channels, frames) at ``sample_rate`` Hz (a rate the
    separator runs at: ``separator.rate_for(sample_rate) == sample_rate``)."""
    if separator.rate_for(sample_rate) != sample_rate:
        raise ValueError(f"{separator.method} needs {separator.rate_for(sample_rate)} Hz input, "
                         f"got {sample_rate} Hz")
    mix = np.asarray(mix, dtype=np.float32)
    channels, total = mix.shape
    out = np.zeros((len(SOURCES), channels, total), dtype=np.float32)
    for block in separator.stream(lambda a, b: mix[:, a:b], total, channels, sample_rate,
                                  progress=progress, cancel=cancel):
        out[..., block.start:block.stop] = block.audio
    return Stems(out, sample_rate, separator.method)
