"""Recursive (IIR) filters in plain numpy, so rendering never imports ``scipy.signal``.

Importing ``scipy.signal`` costs about a second (it pulls in ``scipy.stats``),
more than rendering a whole song, and every ``partita render`` would pay it.
A linear recurrence ``s[n] = A s[n-1] + u[n]`` is computed here by doubling:
after the step for ``k``, each sample holds the sum of ``A^j u[n-j]`` for
``j < 2k``; the steps stop when ``A^k`` has decayed below ``TOLERANCE``
(stable filters only). That is a handful of whole-array operations instead
of a loop over samples, and it matches ``scipy.signal.lfilter``/``sosfilt``
to float rounding (tested).
"""
from __future__ import annotations

import numpy as np

TOLERANCE = 1e-12
"""Stop doubling once every entry of ``A^k`` is below this (relative to 1), in float64."""
TOLERANCE_32 = 1e-9
"""The same for float32 audio, whose rounding (6e-8) hides anything smaller."""


def one_pole_lowpass(audio: np.ndarray, cutoff_hz: float, sample_rate: int) -> np.ndarray:
    """``y[n] = (1 - a) x[n] + a y[n-1]`` with ``a = exp(-2 pi cutoff / rate)``, zero initial state.

    audio: float32 (..., n); filtered along the last axis. Returns float32 (..., n).
    """
    a = float(np.exp(-2.0 * np.pi * cutoff_hz / sample_rate))
    y = np.asarray(audio, dtype=np.float32) * np.float32(1.0 - a)
    shifted = np.empty_like(y)        # one scratch buffer: fresh temporaries cost page faults
    n, k, power = y.shape[-1], 1, a
    while k < n and power > TOLERANCE_32:
        np.multiply(y[..., :-k], np.float32(power), out=shifted[..., k:])
        y[..., k:] += shifted[..., k:]
        k, power = 2 * k, power * power
    return y


def butter_bandpass(order: int, low_hz: float, high_hz: float, sample_rate: int) -> np.ndarray:
    """Second-order sections (sections, 6) of a digital Butterworth band-pass, as
    ``scipy.signal.butter(order, [low, high], btype="band", output="sos", fs=rate)`` designs it:
    the analog prototype, pre-warped band edges, the low-pass to band-pass map and the bilinear
    transform. Rows are ``b0 b1 b2 1 a1 a2``.
    """
    if not 0 < low_hz < high_hz < sample_rate / 2:
        raise ValueError(f"band {low_hz}-{high_hz} Hz does not fit below {sample_rate / 2} Hz")
    fs2 = 2.0 * sample_rate
    w_low, w_high = (fs2 * np.tan(np.pi * f / sample_rate) for f in (low_hz, high_hz))
    bw, w0_sq = w_high - w_low, w_low * w_high
    proto = np.exp(1j * np.pi * (2 * np.arange(order) + order + 1) / (2 * order))
    root = np.sqrt((proto * bw / 2) ** 2 - w0_sq)
    poles_s = np.concatenate([proto * bw / 2 + root, proto * bw / 2 - root])
    poles_z = (fs2 + poles_s) / (fs2 - poles_s)
    gain = float(np.real(bw ** order * fs2 ** order / np.prod(fs2 - poles_s)))
    upper = poles_z[np.imag(poles_z) > 0]
    upper = upper[np.argsort(np.abs(upper))]          # sections from the poles farthest inside
    sections = []
    for i, p in enumerate(upper):
        b = np.array([1.0, 0.0, -1.0]) * (gain if i == 0 else 1.0)   # one zero at z=1, one at z=-1
        sections.append([*b, 1.0, -2.0 * p.real, abs(p) ** 2])
    return np.array(sections)


def sosfilt(sos: np.ndarray, x: np.ndarray) -> np.ndarray:
    """``x`` float (n,) through the second-order sections ``sos`` (sections, 6), zero initial state.

    Returns float64 (n,).
    """
    y = np.asarray(x, dtype=np.float64)
    for b0, b1, b2, _, a1, a2 in sos:
        v = b0 * y
        v[1:] += b1 * y[:-1]
        v[2:] += b2 * y[:-2]
        y = _all_pole(v, a1, a2)
    return y


def _all_pole(v: np.ndarray, a1: float, a2: float) -> np.ndarray:
    """``y[n] = v[n] - a1 y[n-1] - a2 y[n-2]`` as a doubling scan over the state (y[n], y[n-1])."""
    n = len(v)
    state = np.zeros((2, n))
    state[0] = v
    power = np.array([[-a1, -a2], [1.0, 0.0]])
    k = 1
    while k < n and np.abs(power).max() > TOLERANCE:
        state[:, k:] += power @ state[:, :-k]
        k, power = 2 * k, power @ power
    return state[0]
