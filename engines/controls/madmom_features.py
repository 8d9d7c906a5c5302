"""madmom's downbeat-network input features, computed block by block.

The same numbers as ``madmom.features.downbeats.RNNDownBeatProcessor``'s
pre-processor (frames of 1024/2048/4096 samples at 100 fps, log-filtered
magnitude spectra with 3/6/12 bands per octave and their positive
differences), but with one batched FFT per block instead of one per frame, and
without holding the whole signal's spectrogram.
"""
from __future__ import annotations

import numpy as np

from engines.common import CONTROL_SAMPLE_RATE
from engines.controls.madmom_compat import import_madmom
from engines.controls.stream import Block, frame_range

RNN_FPS = 100
"""Frames per second of madmom's beat and downbeat networks."""
RNN_HOP = CONTROL_SAMPLE_RATE // RNN_FPS
FRAME_SIZES = (1024, 2048, 4096)
BANDS_PER_OCTAVE = (3, 6, 12)


class _Resolution:
    """One frame size: window, filterbank and difference lag."""

    def __init__(self, size: int, bands: int) -> None:
        import_madmom()
        from madmom.audio.filters import LogarithmicFilterbank
        from madmom.audio.spectrogram import _diff_frames
        from madmom.audio.stft import fft_frequencies

        self.size = size
        self.window = np.hanning(size).astype(np.float32)
        freqs = fft_frequencies(size // 2, CONTROL_SAMPLE_RATE)
        self.filterbank = np.asarray(LogarithmicFilterbank(
            freqs, num_bands=bands, fmin=30.0, fmax=17000.0, fref=440.0,
            norm_filters=True, unique_filters=True), dtype=np.float32)
        self.lag = _diff_frames(0.5, hop_size=RNN_HOP, frame_size=size, window=np.hanning)

    def spectrum(self, block: Block, first: int, count: int) -> np.ndarray:
        """Magnitude spectra (count + lag, size / 2) float32 of frames first - lag ... first + count - 1."""
        from scipy import fft

        frames = block.frames(RNN_HOP, self.size, first - self.lag, count + self.lag)
        return np.abs(fft.rfft(frames * self.window, axis=1)[:, : self.size // 2])

    def features(self, spec: np.ndarray, first: int) -> np.ndarray:
        """(count, 2 * bands) float32: log-filtered spectrum and its positive difference."""
        log_spec = np.log10(spec @ self.filterbank + 1.0)
        diff = np.maximum(log_spec[self.lag:] - log_spec[:-self.lag], 0.0)
        # madmom's difference is zero for the first `lag` frames of the signal.
        diff[: max(0, self.lag - first)] = 0.0
        return np.hstack([log_spec[self.lag:], diff])


class _PitchChroma:
    """A CLP-style chroma (madmom's bar-tracking input) from a magnitude spectrum.

    Semitone energies of MIDI 21-108 (bins pooled to the nearest semitone,
    scaled so a sinusoid of amplitude a reads 220.5 a**2 like madmom's
    semitone filterbank), log-compressed with factor 100, folded to 12 pitch
    classes and L2-normalised (uniform below 0.001).
    """

    def __init__(self, size: int, window: np.ndarray) -> None:
        freqs = np.arange(size // 2) * CONTROL_SAMPLE_RATE / size
        with np.errstate(divide="ignore"):
            midi = np.round(69 + 12 * np.log2(freqs / 440.0))
        self.bins = np.nonzero((midi >= 21) & (midi <= 108))[0]
        self.pool = np.zeros((len(self.bins), 88), dtype=np.float32)
        self.pool[np.arange(len(self.bins)), (midi[self.bins] - 21).astype(np.int64)] = 1.0
        lobe = size * float(np.sum(window.astype(np.float64) ** 2)) / float(np.sum(window)) ** 2
        self.scale = 220.5 / (lobe * (float(np.sum(window)) / 2) ** 2)
        self.fold = np.zeros((88, 12), dtype=np.float32)
        self.fold[np.arange(88), (np.arange(88) + 21) % 12] = 1.0

    def __call__(self, spec: np.ndarray) -> np.ndarray:
        """(frames, size / 2) magnitudes -> (frames, 12) float32 chroma."""
        energy = (spec[:, self.bins] ** 2) @ self.pool
        chroma = np.log10(1.0 + 100.0 * self.scale * energy) @ self.fold
        norm = np.sqrt((chroma ** 2).sum(axis=1))
        chroma /= np.maximum(norm, 1e-12)[:, None]
        chroma[norm < 0.001] = 1.0 / np.sqrt(12.0)
        return chroma


class MadmomFeatures:
    """Computes, for the 100 fps frames in a block, the 314-dimensional input of
    the downbeat network and a 12-bin chroma for the bar networks."""

    def __init__(self) -> None:
        self.resolutions = [_Resolution(s, b) for s, b in zip(FRAME_SIZES, BANDS_PER_OCTAVE)]
        self.context = max(r.size // 2 + r.lag * RNN_HOP for r in self.resolutions) + RNN_HOP
        widest = self.resolutions[-1]
        self.chroma = _PitchChroma(widest.size, widest.window)

    @property
    def dims(self) -> int:
        return sum(2 * r.filterbank.shape[1] for r in self.resolutions)

    def percussive_columns(self) -> slice:
        """Columns of the features holding madmom's percussive bar feature
        (positive difference of the 2048-sample, 6-band log spectrum)."""
        n1 = self.resolutions[0].filterbank.shape[1]
        n2 = self.resolutions[1].filterbank.shape[1]
        return slice(2 * n1 + n2, 2 * n1 + 2 * n2)

    def process(self, block: Block) -> tuple[np.ndarray, np.ndarray]:
        """(frames, dims) network features and (frames, 12) chroma, float32,
        for the frames centred inside ``block``."""
        first, stop = frame_range(block, RNN_HOP)
        parts, chroma = [], np.zeros((0, 12), np.float32)
        for r in self.resolutions:
            spec = r.spectrum(block, first, stop - first)
            parts.append(r.features(spec, first))
            if r is self.resolutions[-1]:
                chroma = self.chroma(spec[r.lag:])
        return np.hstack(parts).astype(np.float32, copy=False), chroma
