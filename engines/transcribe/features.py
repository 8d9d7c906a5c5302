"""Signal features on the network's frame grid: a magnitude spectrogram, the energy of one
pitch's harmonics, and loudness.

Every array here is indexed by network frame (``nmp.FRAME_RATE`` per second,
frame k at ``nmp.frame_times``), so features line up with the posteriors.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engines.common import midi_hz
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
    f0 = midi_hz(pitch)
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


YIN_SECONDS = 2048 / SAMPLE_RATE
"""YIN window (93 ms: two periods of 21.5 Hz)."""


def yin_track(mono: np.ndarray, n_frames: int, *, fmin: float, fmax: float, decimate: int = 1,
              threshold: float = 0.15, block: int = 512) -> tuple[np.ndarray, np.ndarray]:
    """YIN (de Cheveigné & Kawahara 2002) on the network's frames: (midi_pitch float64 (n_frames,),
    confidence float64 (n_frames,)) of ``mono`` (float32 (n,) at 22050 Hz).

    The signal is first resampled to 22050 / ``decimate`` Hz (enough for pitches up to ``fmax``
    when 4 x fmax stays below that rate's Nyquist). The period is the first lag (from 1/fmax)
    whose cumulative-mean normalised difference dips below ``threshold`` (else its minimum),
    at the bottom of that dip, refined by a parabola; confidence is 1 minus the difference there,
    0 in silent frames."""
    import soxr

    pitch, conf = np.zeros(n_frames), np.zeros(n_frames)
    if n_frames == 0 or mono.size == 0:
        return pitch, conf
    rate = SAMPLE_RATE / decimate
    signal = soxr.resample(mono, SAMPLE_RATE, rate) if decimate > 1 else mono
    frame = int(round(YIN_SECONDS * rate))
    w = frame // 2
    lo, hi = max(2, int(rate / fmax)), min(w - 1, int(np.ceil(rate / fmin)))
    padded = np.pad(signal.astype(np.float64), (w, frame))
    centres = np.clip(np.round(frame_times(n_frames) * rate).astype(np.int64), 0, len(signal) - 1)
    for first in range(0, n_frames, block):
        frames = padded[centres[first:first + block, None] + np.arange(frame)[None, :]]
        d = _difference(frames, w, hi + 1)
        cmnd = d[:, 1:] * np.arange(1, hi + 1) / np.maximum(np.cumsum(d[:, 1:], axis=1), 1e-12)
        period, c = _first_dips(cmnd, lo - 1, threshold)
        c[(frames[:, :w] ** 2).mean(axis=1) < 1e-8] = 0.0
        pitch[first:first + block] = 69 + 12 * np.log2(rate / np.maximum(period, 1e-9) / 440.0)
        conf[first:first + block] = c
    return pitch, conf


def _difference(frames: np.ndarray, w: int, max_lag: int) -> np.ndarray:
    """YIN's difference function d(tau) for tau in [0, max_lag), window ``w``: float64 (n, max_lag)."""
    size = 1 << int(np.ceil(np.log2(2 * frames.shape[1])))
    spec_x = np.fft.rfft(frames, size, axis=1)
    spec_w = np.fft.rfft(frames[:, :w], size, axis=1)
    cross = np.fft.irfft(spec_x * np.conj(spec_w), size, axis=1)[:, :max_lag]
    power = np.concatenate([np.zeros((frames.shape[0], 1)), np.cumsum(frames ** 2, axis=1)], axis=1)
    energy_lag = power[:, w:w + max_lag] - power[:, :max_lag]
    return np.maximum(power[:, w:w + 1] + energy_lag - 2 * cross, 0.0)


def _first_dips(cmnd: np.ndarray, lo: int, threshold: float) -> tuple[np.ndarray, np.ndarray]:
    """(period in samples, 1 - cmnd there) per row of ``cmnd`` (lag 1 at column 0), searching from ``lo``."""
    n, m = cmnd.shape
    region = cmnd[:, lo:]
    below = region < threshold
    # the first lag below the threshold, then down to the bottom of that dip
    start = np.where(below.any(axis=1), below.argmax(axis=1), region.argmin(axis=1))
    lag = start.copy()
    rows = np.arange(n)
    for _ in range(m):
        nxt = np.minimum(lag + 1, region.shape[1] - 1)
        better = region[rows, nxt] < region[rows, lag]
        if not better.any():
            break
        lag = np.where(better, nxt, lag)
    value = region[rows, lag]
    left = region[rows, np.maximum(lag - 1, 0)]
    right = region[rows, np.minimum(lag + 1, region.shape[1] - 1)]
    denom = left - 2 * value + right
    shift = np.where(np.abs(denom) > 1e-12, 0.5 * (left - right) / np.where(denom == 0, 1, denom), 0.0)
    period = lag + lo + 1 + np.clip(shift, -1, 1)
    return period, np.clip(1.0 - value, 0.0, 1.0)
