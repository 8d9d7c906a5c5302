"""Signal-processing separators: a plain harmonic/percussive split, and one that also
follows the lead line's pitch (the benchmark's baselines and the embedded model's rival).

Both work on the mono magnitude spectrogram and return soft masks that sum to
one (so their stems sum to the input):
- percussive energy (median filter across frequency wins over median filter
  across time, Fitzgerald 2010) -> drums;
- harmonic energy below ``bass_hz`` -> bass;
- the rest of the harmonic energy: halved between other and vocals (``plain``),
  or, with ``follow_lead``, the bins near the harmonics of the strongest pitch
  in the lead range each frame (harmonic summation) -> vocals, the rest -> other.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

import numpy as np

from engines.common import CancelToken, Progress, no_progress
from engines.separate import overlap_add
from engines.separate.config import ChunkConfig
from engines.separate.stems import StemBlock
from engines.separate.stft import masked_stems, stft


@dataclass(frozen=True)
class DspConfig:
    """Settings of the DSP separators (defaults tuned on the benchmark's validation songs).

    hop_s: STFT hop in seconds (n_fft = 4 hops). harmonic_s: median-filter length
    across time for the harmonic estimate; percussive_hz: across frequency for the
    percussive one. bass_hz / bass_width_hz: centre and width of the logistic
    crossover under which harmonic energy is bass. follow_lead: track the lead's
    pitch (else halve the rest between other and vocals). lead_hz: pitch range
    searched for the lead. harmonics: partials summed and masked. lead_width_hz:
    half-width of each partial's mask. voicing: a frame is voiced when its best
    salience exceeds this fraction of the 95th percentile over the input.
    """

    hop_s: float = 512 / 44100
    harmonic_s: float = 0.2
    percussive_hz: float = 400.0
    bass_hz: float = 180.0
    bass_width_hz: float = 30.0
    follow_lead: bool = True
    lead_hz: tuple[float, float] = (180.0, 1400.0)
    harmonics: int = 10
    lead_width_hz: float = 25.0
    voicing: float = 0.25
    chunk: ChunkConfig = ChunkConfig(segment_s=20.0, overlap_s=1.0)


def _median(x: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    from scipy.ndimage import median_filter

    return median_filter(x, size=size, mode="nearest")


def masks_for(mag: np.ndarray, sample_rate: int, n_fft: int, cfg: DspConfig) -> np.ndarray:
    """float32 (bins, frames) magnitudes -> float32 (4, bins, frames) masks (drums, bass, other, vocals)."""
    hop = n_fft // 4
    bin_hz = sample_rate / n_fft
    harm = _median(mag, (1, max(1, round(cfg.harmonic_s * sample_rate / hop)) | 1))
    perc = _median(mag, (max(1, round(cfg.percussive_hz / bin_hz)) | 1, 1))
    h2, p2 = harm * harm, perc * perc
    m_harm = h2 / (h2 + p2 + 1e-12)
    freqs = np.arange(mag.shape[0]) * bin_hz
    bass = 0.5 * (1.0 - np.tanh((freqs - cfg.bass_hz) / (2.0 * cfg.bass_width_hz)))  # logistic
    rest = m_harm * (1.0 - bass)[:, None]
    lead = _lead_comb(harm, freqs, cfg) if cfg.follow_lead else np.full_like(rest, 0.5)
    out = np.stack([1.0 - m_harm, m_harm * bass[:, None], rest * (1.0 - lead), rest * lead])
    return out.astype(np.float32)


def _lead_comb(harm: np.ndarray, freqs: np.ndarray, cfg: DspConfig) -> np.ndarray:
    """float32 (bins, frames) in [0, 1]: closeness to a partial of the frame's lead pitch."""
    bin_hz = freqs[1]
    lo, hi = cfg.lead_hz
    f0s = lo * 2.0 ** (np.arange(int(36 * np.log2(hi / lo)) + 1) / 36)  # a third of a semitone apart
    parts = np.arange(1, cfg.harmonics + 1)
    idx = np.clip(np.round(np.outer(f0s, parts) / bin_hz).astype(int), 0, len(freqs) - 1)
    weights = 0.85 ** (parts - 1)
    compressed = np.sqrt(harm)
    salience = np.tensordot(compressed[idx], weights, axes=([1], [0]))  # (candidates, frames)
    best = salience.argmax(axis=0)
    strength = salience[best, np.arange(salience.shape[1])]
    voiced = strength > cfg.voicing * np.percentile(strength, 95)
    f0 = _median(f0s[best][None], (1, 5))[0]
    dist = np.abs(freqs[:, None, None] - parts[None, :, None] * f0[None, None, :]).min(axis=1)
    comb = np.exp(-0.5 * (dist / cfg.lead_width_hz) ** 2) * voiced[None, :]
    return comb.astype(np.float32)


class DspSeparator:
    """A DSP separator at any rate; ``method`` is "hpss" (plain) or "dsp" (follows the lead).

    Lifecycle: built once; ``stream`` may run on several threads at once.
    """

    def __init__(self, config: DspConfig = DspConfig()) -> None:
        self.config = config
        self.method = "dsp" if config.follow_lead else "hpss"

    def rate_for(self, sample_rate: int) -> int:
        return sample_rate

    def stream(self, read: overlap_add.Reader, total: int, channels: int, sample_rate: int, *,
               progress: Progress = no_progress, cancel: CancelToken | None = None) -> Iterator[StemBlock]:
        hop = max(4, round(self.config.hop_s * sample_rate))
        segment, overlap = self.config.chunk.samples(sample_rate)

        def separate(x: np.ndarray) -> np.ndarray:
            spec = stft(x, 4 * hop, hop)
            masks = masks_for(np.abs(spec.mean(axis=0)), sample_rate, 4 * hop, self.config)
            return masked_stems(x, spec, masks, 4 * hop, hop)

        yield from overlap_add.stream(read, total, separate, segment=segment, overlap=overlap,
                                      progress=progress, cancel=cancel)
