"""The embedded separator's architecture and analysis settings (``MaskConfig``)."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass

FORMAT = "partita.separator/1"
"""The ``format`` metadata of embedded-separator weights."""


@dataclass(frozen=True)
class MaskConfig:
    """A time-frequency mask model: mono magnitudes in, one soft mask per stem out.

    Analysis (at ``sample_rate``; other rates scale ``hop`` and ``n_fft`` so a
    bin keeps its width in Hz and a frame its length in seconds):
      sample_rate: reference rate (Hz). hop: STFT hop (samples, 512 = 11.6 ms,
        the control-frame hop). n_fft: 4 * hop (46 ms; 21.5 Hz bins).
    Bands: the network sees and masks ``n_bands`` bands of bins, not single bins:
      band_widths: ((until_bin, width), ...): bins below ``until_bin`` are grouped
        ``width`` at a time (the last group of a range may be narrower). The
        default keeps single bins up to 2.7 kHz (bass and lead fundamentals),
        threes up to 11 kHz and eights above. A band's input is the log of its
        mean power (as a magnitude); its mask applies to each of its bins.
    Network (per frame, ``n_bands`` inputs):
      hidden: width of the frame embedding and of each temporal block.
      dilations: one residual block per entry: layer norm, a kernel-3 temporal
        convolution with that dilation (frames), GELU, a 1x1 convolution.
        Receptive field: 1 + 2 * sum(dilations) frames.
      sources: number of stems (masks), softmax-normalised across stems, so
        the stems of a mix sum to the mix.
      log_floor: magnitudes below this (linear, full scale = 1) count as silence
        in the log-magnitude input.
    """

    sample_rate: int = 44100
    hop: int = 512
    band_widths: tuple[tuple[int, int], ...] = ((128, 1), (512, 3), (1025, 8))
    hidden: int = 128
    dilations: tuple[int, ...] = (1, 2, 4, 8, 16, 32, 1, 2)
    sources: int = 4
    log_floor: float = 1e-5

    def __post_init__(self) -> None:
        if self.hop < 16 or self.hidden < 1 or self.sources < 1 or not self.dilations:
            raise ValueError(f"bad separator config: {self}")

    @property
    def n_fft(self) -> int:
        return 4 * self.hop

    @property
    def bins(self) -> int:
        return self.n_fft // 2 + 1

    @property
    def band_edges(self) -> tuple[int, ...]:
        """First bin of each band, then ``bins``: (n_bands + 1,) increasing."""
        edges, start = [0], 0
        for until, width in self.band_widths:
            while start < min(until, self.bins):
                start = min(start + width, until, self.bins)
                edges.append(start)
        if edges[-1] != self.bins:
            edges.append(self.bins)
        return tuple(edges)

    @property
    def n_bands(self) -> int:
        return len(self.band_edges) - 1

    @property
    def receptive_field(self) -> int:
        """Frames the mask of one frame depends on (centred)."""
        return 1 + 2 * sum(self.dilations)

    def hop_at(self, sample_rate: int) -> int:
        """The hop (samples) at ``sample_rate`` that keeps a frame's length in seconds."""
        return max(4, round(self.hop * sample_rate / self.sample_rate))

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "MaskConfig":
        raw = json.loads(text)
        raw["dilations"] = tuple(raw["dilations"])
        raw["band_widths"] = tuple(tuple(pair) for pair in raw.get("band_widths", ()))
        return cls(**{k: v for k, v in raw.items() if k in cls.__dataclass_fields__})


def tiny() -> MaskConfig:
    """A small model for tests: trains and runs in well under a second."""
    return MaskConfig(hop=128, hidden=8, dilations=(1, 2), band_widths=((32, 1), (257, 4)))
