"""Band-limited single-cycle wavetables and a vectorised table oscillator.

A table holds one period of a harmonic spectrum, with only the harmonics that
stay below 0.45 x the sample rate at the note's highest frequency, so nothing
aliases. Reading it at a phase array (cycles, float64) gives the waveform.
"""
from __future__ import annotations

import functools

import numpy as np

TABLE_SIZE = 2048
"""Samples per period in every wavetable."""


@functools.lru_cache(maxsize=1024)
def wavetable(amps: tuple[float, ...], max_harmonics: int) -> np.ndarray:
    """One period of ``sum_k amps[k-1] * sin(2 pi k x)``, k <= max_harmonics.

    Returns float32 (TABLE_SIZE + 1,) with the first sample repeated at the end
    (for interpolation), scaled to an RMS of 0.5 so bright and dark tables of a
    patch are equally loud.
    """
    n = max(1, min(len(amps), max_harmonics, TABLE_SIZE // 2 - 1))
    spec = np.zeros(TABLE_SIZE // 2 + 1, dtype=np.complex128)
    spec[1:n + 1] = -1j * np.asarray(amps[:n]) * (TABLE_SIZE / 2)
    table = np.fft.irfft(spec, TABLE_SIZE)
    rms = float(np.sqrt(np.mean(table ** 2)))
    table *= 0.5 / max(rms, 1e-12)
    out = np.empty(TABLE_SIZE + 1, dtype=np.float32)
    out[:TABLE_SIZE] = table
    out[TABLE_SIZE] = table[0]
    return out


def harmonics_below(freq_hz: float, sample_rate: int) -> int:
    """How many harmonics of ``freq_hz`` stay below 0.45 x ``sample_rate``."""
    return max(1, int(0.45 * sample_rate / max(freq_hz, 1e-3)))


def read_table(table: np.ndarray, phase: np.ndarray) -> np.ndarray:
    """Linear-interpolated lookup.

    table: float32 (TABLE_SIZE + 1,). phase: float64 (n,) in cycles (any range).
    Returns float32 (n,).
    """
    pos = (phase - np.floor(phase)) * TABLE_SIZE
    idx = pos.astype(np.int32)
    np.minimum(idx, TABLE_SIZE - 1, out=idx)
    frac = (pos - idx).astype(np.float32)
    lo = table[idx]
    return lo + frac * (table[idx + 1] - lo)
