"""The embedded separator: the shipped mask model, at any sample rate, no torch."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Iterator

from engines.common import CancelToken, Progress, no_progress
from engines.separate import overlap_add
from engines.separate.config import ChunkConfig
from engines.separate.mask_model import MaskNet, MaskSeparator
from engines.separate.stems import StemBlock


@dataclass(frozen=True)
class EmbeddedConfig:
    """How the embedded separator runs.

    chunk: segment and overlap; the overlap covers the network's receptive
        field (``MaskConfig.receptive_field`` frames, 1.5 s for the shipped
        model) so a seam changes no mask by more than the fades allow.
    level_dbfs: the input is scaled so its RMS (whole input, channel average)
        sits here before the masks are computed; the training
        mixes' RMS spans -32 to -10 dBFS. Only the masks see the scaled input.
    """

    chunk: ChunkConfig = field(default_factory=lambda: ChunkConfig(segment_s=20.0, overlap_s=1.0))
    level_dbfs: float = -20.0


class EmbeddedSeparator:
    """Separates with a ``MaskNet`` at the input's own rate (the STFT scales with the rate).

    Lifecycle: built once; ``stream`` may run on several threads at once.
    """

    def __init__(self, net: MaskNet, config: EmbeddedConfig = EmbeddedConfig(), *,
                 method: str = "embedded") -> None:
        self.net, self.config, self.method = net, config, method

    def rate_for(self, sample_rate: int) -> int:
        """Any rate works as it is."""
        return sample_rate

    def stream(self, read: overlap_add.Reader, total: int, channels: int, sample_rate: int, *,
               progress: Progress = no_progress, cancel: CancelToken | None = None) -> Iterator[StemBlock]:
        """Stems of ``total`` samples at ``sample_rate``; see ``overlap_add.stream``."""
        mean, std = overlap_add.input_stats(read, total)
        rms = math.sqrt(std * std + mean * mean)
        gain = 10 ** (self.config.level_dbfs / 20) / max(rms, 1e-7)
        masker = MaskSeparator(self.net, sample_rate)
        segment, overlap = self.config.chunk.samples(sample_rate)
        yield from overlap_add.stream(read, total, lambda x: masker.segment(x, gain), segment=segment,
                                      overlap=overlap, progress=progress, cancel=cancel)
