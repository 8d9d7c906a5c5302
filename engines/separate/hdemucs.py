"""torchaudio's Hybrid Demucs (Défossez 2021) as a Partita separator.

The pretrained weights (``HDEMUCS_HIGH_MUSDB_PLUS``: MUSDB-HQ plus 150 extra
songs, 44.1 kHz, stems drums / bass / other / vocals) are a plain state dict
of tensors; the app loads them with ``torch.load(weights_only=True)`` (no
class is unpickled) and hands them to ``load_model``. Each segment is
normalised by the whole input's mean and standard deviation, as Demucs does.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Iterator, Mapping

import numpy as np

from engines.common import CancelToken, Progress, no_progress
from engines.separate import overlap_add
from engines.separate.config import ChunkConfig
from engines.separate.stems import SOURCES, StemBlock

if TYPE_CHECKING:
    import torch
    from torchaudio.models import HDemucs

DEMUCS_CHANNELS = 2
"""HDemucs is built for stereo; mono and multichannel inputs are run one channel at a time."""


class DemucsWeightsError(ValueError):
    """A state dict that does not fit the HDemucs configuration."""


@dataclass(frozen=True)
class DemucsConfig:
    """Hyper-parameters of ``torchaudio.models.HDemucs``; the defaults are ``hdemucs_high``.

    channels: width of the first layer (doubles each layer). depth: encoder
    layers; the frequency branch needs ``nfft == 4 ** depth``. nfft: STFT size
    of the frequency branch. dconv_depth / dconv_lstm / dconv_attn: residual
    branch depth and the first layers with a BiLSTM / local attention.
    sample_rate: the rate (Hz) the model runs at; other rates are resampled
    by the caller. chunk: segment and overlap (chosen by measurement, see
    tests/bench/bench_separate.py).
    """

    channels: int = 48
    depth: int = 6
    nfft: int = 4096
    dconv_depth: int = 2
    dconv_lstm: int = 4
    dconv_attn: int = 4
    sample_rate: int = 44100
    chunk: ChunkConfig = field(default_factory=lambda: ChunkConfig(segment_s=10.0, overlap_s=1.0))

    def model_kwargs(self) -> dict[str, int]:
        raw = asdict(self)
        return {k: raw[k] for k in ("channels", "depth", "nfft", "dconv_depth", "dconv_lstm", "dconv_attn")}


def tiny_config() -> DemucsConfig:
    """A HDemucs of ~8k parameters for tests: the whole pretrained path in a second."""
    return DemucsConfig(channels=4, depth=3, nfft=64, dconv_depth=1, dconv_lstm=10, dconv_attn=10,
                        chunk=ChunkConfig(segment_s=0.5, overlap_s=0.1))


def build_model(config: DemucsConfig) -> "HDemucs":
    """A randomly initialised HDemucs (for tests and speed figures)."""
    from torchaudio.models import HDemucs

    return HDemucs(list(SOURCES), audio_channels=DEMUCS_CHANNELS, **config.model_kwargs()).eval()


def load_model(config: DemucsConfig, state: Mapping[str, "torch.Tensor"]) -> "HDemucs":
    """HDemucs with ``state`` loaded; ``DemucsWeightsError`` when it does not fit ``config``."""
    model = build_model(config)
    try:
        model.load_state_dict(dict(state))
    except RuntimeError as exc:
        raise DemucsWeightsError(f"the weights do not fit Hybrid Demucs: {str(exc).splitlines()[0]}") from None
    return model.eval()


class DemucsSeparator:
    """Separates with a HDemucs on ``device`` ("cpu" or "cuda").

    Lifecycle: built once with a loaded model (moved to ``device``); ``stream``
    may be called many times, one call at a time.
    """

    def __init__(self, model: "HDemucs", config: DemucsConfig, *, device: str = "cpu",
                 method: str = "hdemucs") -> None:
        self.model = model.to(device).eval()
        self.config, self.device, self.method = config, device, method

    def rate_for(self, sample_rate: int) -> int:
        """The rate (Hz) input must be resampled to: always the model's."""
        return self.config.sample_rate

    def stream(self, read: overlap_add.Reader, total: int, channels: int, sample_rate: int, *,
               progress: Progress = no_progress, cancel: CancelToken | None = None) -> Iterator[StemBlock]:
        """Stems of ``total`` samples of ``channels`` channels at ``config.sample_rate``; see
        ``overlap_add.stream``. Reads the input twice: once for its level, once to separate."""
        if sample_rate != self.config.sample_rate:
            raise ValueError(f"Hybrid Demucs runs at {self.config.sample_rate} Hz, not {sample_rate} Hz; "
                             "resample first")
        mean, std = overlap_add.input_stats(read, total)
        segment, overlap = self.config.chunk.samples(self.config.sample_rate)
        yield from overlap_add.stream(read, total, lambda x: self._segment(x, mean, std),
                                      segment=segment, overlap=overlap, progress=progress, cancel=cancel)

    def _segment(self, x: np.ndarray, mean: float, std: float) -> np.ndarray:
        """float32 (channels, n) -> float32 (sources, channels, n)."""
        if x.shape[0] == DEMUCS_CHANNELS:
            return self._run(x, mean, std)
        out = [self._run(np.repeat(ch[None], DEMUCS_CHANNELS, axis=0), mean, std).mean(axis=1)
               for ch in x]
        return np.stack(out, axis=1)

    def _run(self, x: np.ndarray, mean: float, std: float) -> np.ndarray:
        """Stereo float32 (2, n) -> float32 (sources, 2, n), de-normalised."""
        import torch

        scale = max(std, 1e-8)
        with torch.inference_mode():
            t = torch.from_numpy((np.ascontiguousarray(x) - np.float32(mean)) / np.float32(scale))
            y = self.model(t[None].to(self.device))[0].float().cpu().numpy()
        return y * np.float32(scale) + np.float32(mean / len(SOURCES))
