"""Signal features on the network's frame grid: a magnitude spectrogram, the energy of one
pitch's harmonics, and loudness.

Every array here is indexed by network frame (``nmp.FRAME_RATE`` per second,
frame k at ``nmp.frame_times``), so features line up with the posteriors.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engines.transcribe.nmp import FFT_HOP, SAMPLE_RATE, frame_times

N_FFT = 1024
"""STFT window (samples at 22050 Hz, 46 ms)."""
FLOOR_DB = -100.0


@dataclass(frozen=True, eq=False)
class Spectrum:
    """magnitude: float32 (n_frames, N_FFT // 2 + 1), one row per network frame.
    freqs: float64 (N_FFT // 2 + 1,) Hz of each bin."""

    magnitude: np.ndarray
    freqs: np.ndarray

    @property
    def n_frames(self) -> int:
        return int(self.magnitude.shape[0])


@dataclass(frozen=True, eq=False)
class Features:
    """What the decoders read off the signal besides the posteriors.

    spectrum: the STFT magnitudes per network frame. loudness: float64
    (n_frames,) RMS level in dBFS per network frame.
    """

    spectrum: Spectrum
    loudness: np.ndarray


def features(mono: np.ndarray, n_frames: int) -> Features:
    """``Features`` of ``mono`` (float32 (n,) at 22050 Hz) on ``n_frames`` network frames."""
    return Features(spectrum(mono, n_frames), loudness_db(mono, n_frames))


def spectrum(mono: np.ndarray, n_frames: int) -> Spectrum:
    """STFT magnitudes of ``mono`` (float32 (n,) at 22050 Hz) at the network's frame times."""
    n_bins = N_FFT // 2 + 1
    if n_frames == 0 or mono.size == 0:
        return Spectrum(np.zeros((n_frames, n_bins), np.float32), _freqs())
    padded = np.pad(mono, (N_FFT // 2, N_FFT // 2))
    centres = np.clip(np.round(frame_times(n_frames) * SAMPLE_RATE).astype(np.int64), 0, len(mono) - 1)
    window = np.hanning(N_FFT).astype(np.float32)
    out = np.empty((n_frames, n_bins), np.float32)
    step = 2048
    for first in range(0, n_frames, step):
        idx = centres[first:first + step, None] + np.arange(N_FFT)[None, :]
        out[first:first + step] = np.abs(np.fft.rfft(padded[idx] * window, axis=1))
    return Spectrum(out, _freqs())


def _freqs() -> np.ndarray:
    return np.fft.rfftfreq(N_FFT, 1.0 / SAMPLE_RATE)


def harmonic_db(spec: Spectrum, pitch: int, start: int, stop: int, *, harmonics: int = 6,
                width: float = 0.03) -> np.ndarray:
    """Energy (dB) of ``pitch``'s first ``harmonics`` partials in frames [start, stop).

    Each partial counts with the largest bin within ``width`` (relative) of its
    frequency. Returns float64 (stop - start,).
    """
    f0 = 440.0 * 2.0 ** ((pitch - 69) / 12.0)
    energy = np.zeros(max(0, stop - start))
    for h in range(1, harmonics + 1):
        band = np.flatnonzero(np.abs(spec.freqs / (h * f0) - 1.0) <= width)
        if band.size == 0:
            if h * f0 * (1 - width) > spec.freqs[-1]:
                break
            band = np.array([int(np.argmin(np.abs(spec.freqs - h * f0)))])
        energy += spec.magnitude[start:stop, band[0]:band[-1] + 1].max(axis=1).astype(np.float64) ** 2
    return np.maximum(10.0 * np.log10(energy + 1e-12), FLOOR_DB)


def loudness_db(mono: np.ndarray, n_frames: int) -> np.ndarray:
    """RMS level (dBFS) in a window of ``N_FFT`` samples around each network frame; float64 (n_frames,)."""
    if n_frames == 0 or mono.size == 0:
        return np.full(n_frames, FLOOR_DB)
    power = np.concatenate([[0.0], np.cumsum(mono.astype(np.float64) ** 2)])
    centres = np.round(frame_times(n_frames) * SAMPLE_RATE).astype(np.int64)
    lo = np.clip(centres - N_FFT // 2, 0, len(mono))
    hi = np.clip(centres + N_FFT // 2, 0, len(mono))
    mean = (power[hi] - power[lo]) / max(1, N_FFT)
    return np.maximum(10.0 * np.log10(mean + 1e-12), FLOOR_DB)



def attack_start(spec: Spectrum, pitch: int, frame: int, *, lookback: int, rise_db: float) -> int:
    """Where the attack of ``pitch``'s note found at ``frame`` began: the first frame, after the
    lowest point of the pitch's harmonic energy in the ``lookback`` frames before ``frame``,
    at least ``rise_db`` above that low point (``frame`` itself when nothing rises earlier).
    Slow attacks (bowed strings, pads, organs) are found by the network late; this moves them back."""
    first = max(0, frame - lookback)
    env = harmonic_db(spec, pitch, first, frame + 1)
    if env.size < 2:
        return frame
    low = int(len(env) - 1 - np.argmin(env[::-1]))
    above = np.flatnonzero(env[low:] >= env[low] + rise_db)
    return first + low + int(above[0]) if above.size else frame
