"""Per-frame spectral measurements on the control grid (hop 512 at 44.1 kHz).

For every frame: summed mel power (dynamics), mean square (silence), the
argmax of a 12-bin chroma of the spectrum high-passed at middle C and that
spectrum's power (melody), and a log-mel spectral flux (onsets). Along the way
the analyser sums a full-band chroma over every sounding frame
(``pitch_profile``, what a key is read from).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engines.common import CONTROL_HOP, CONTROL_SAMPLE_RATE
from engines.controls.config import ControlsConfig
from engines.controls.stream import Block, frame_range

_TINY = 1e-12


@dataclass(frozen=True)
class SpectralFrames:
    """Measurements of consecutive control frames; every array has shape (frames,).

    mel_power: summed mel-band power (float64, linear; 1.0 ~ a full-scale
      sinusoid).
    mean_square: mean square of the frame's samples (float64; 0.5 for a
      full-scale sine).
    hp_power: power left after the middle-C high-pass (float64, linear).
    chroma: argmax pitch class 0-11 of the high-passed chroma (int8).
    flux: mean positive difference of log-mel (dB, floored at
      ``silence_dbfs``) with the previous frame (float32).
    """

    mel_power: np.ndarray
    mean_square: np.ndarray
    hp_power: np.ndarray
    chroma: np.ndarray
    flux: np.ndarray


class SpectralAnalyzer:
    """Computes ``SpectralFrames`` block by block; build once per extraction."""

    def __init__(self, config: ControlsConfig) -> None:
        import librosa
        from scipy import signal

        n_fft = config.n_fft
        self.n_fft = n_fft
        self.window = signal.get_window("hann", n_fft).astype(np.float32)
        # Peak-1 triangles: their sum is ~1 across the band, so summed mel power
        # is the frame's power, and a full-scale sine reads near 0 dB.
        self.mel = librosa.filters.mel(sr=CONTROL_SAMPLE_RATE, n_fft=n_fft, n_mels=config.n_mels,
                                       norm=None).T.astype(np.float32)
        chroma = librosa.filters.chroma(sr=CONTROL_SAMPLE_RATE, n_fft=n_fft).T
        sos = signal.butter(config.highpass_order, config.highpass_hz, "highpass",
                            fs=CONTROL_SAMPLE_RATE, output="sos")
        freqs = np.fft.rfftfreq(n_fft, 1.0 / CONTROL_SAMPLE_RATE)
        _, response = signal.sosfreqz(sos, worN=freqs, fs=CONTROL_SAMPLE_RATE)
        self.highpass = (np.abs(response) ** 2).astype(np.float32)
        self.chroma = (chroma * self.highpass[:, None]).astype(np.float32)
        self.full_chroma = chroma.astype(np.float32)
        self.pitch_profile = np.zeros(12)
        """Sum over the sounding frames so far of each frame's full-band chroma, scaled to a
        peak of 1 (so every frame counts alike, loud or soft): float64 (12,), from C."""
        self.silence_ms = 10.0 ** (config.silence_dbfs / 10.0)
        # Parseval for a one-sided spectrum of a windowed frame.
        self.ms_scale = 1.0 / (n_fft * float(np.sum(self.window.astype(np.float64) ** 2)))
        # Power of a full-scale sinusoid's peak bin; mel power is read relative to it.
        self.full_scale = float(np.sum(self.window, dtype=np.float64) / 2.0) ** 2
        self.flux_floor = self.full_scale * 10.0 ** (config.silence_dbfs / 10.0)
        self.context = n_fft // 2 + 2 * CONTROL_HOP

    def process(self, block: Block) -> SpectralFrames:
        """Measure the frames centred inside ``block`` (its context >= ``self.context``)."""
        from scipy import fft

        first, stop = frame_range(block, CONTROL_HOP)
        count = stop - first
        frames = block.frames(CONTROL_HOP, self.n_fft, first - 1, count + 1)
        spec = fft.rfft(frames * self.window, axis=1)
        power = spec.real ** 2 + spec.imag ** 2
        del spec
        mel = power @ self.mel
        log_mel = 10.0 * np.log10(np.maximum(mel, self.flux_floor))
        flux = np.maximum(np.diff(log_mel, axis=0), 0.0).mean(axis=1)
        power = power[1:]
        total = 2.0 * power.sum(axis=1, dtype=np.float64) - power[:, 0] - power[:, -1]
        chroma = power @ self.chroma
        mean_square = total * self.ms_scale
        self._add_to_profile(power @ self.full_chroma, mean_square)
        return SpectralFrames(
            mel_power=mel[1:].sum(axis=1, dtype=np.float64) / self.full_scale,
            mean_square=mean_square,
            hp_power=(power @ self.highpass).astype(np.float64),
            chroma=np.argmax(chroma, axis=1).astype(np.int8),
            flux=flux.astype(np.float32),
        )


    def _add_to_profile(self, chroma: np.ndarray, mean_square: np.ndarray) -> None:
        """chroma: (frames, 12) power per pitch class; frames quieter than silence are skipped."""
        sounding = chroma[mean_square >= self.silence_ms]
        if len(sounding):
            peaks = sounding.max(axis=1, keepdims=True)
            self.pitch_profile += (sounding / np.maximum(peaks, _TINY)).sum(axis=0, dtype=np.float64)


def concat(parts: list[SpectralFrames]) -> SpectralFrames:
    """Join the per-block measurements in order."""
    if not parts:
        empty = np.zeros(0)
        return SpectralFrames(empty, empty, empty, empty.astype(np.int8), empty.astype(np.float32))
    return SpectralFrames(*(np.concatenate([getattr(p, name) for p in parts])
                            for name in SpectralFrames.__dataclass_fields__))


def db(power: np.ndarray) -> np.ndarray:
    """10 log10 of a power array, with a tiny floor so silence stays finite."""
    return 10.0 * np.log10(np.maximum(power, _TINY))
