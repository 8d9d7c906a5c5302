"""A numpy short-time Fourier transform and its exact inverse (no torch, no scipy).

Frames are centred: frame ``k`` is centred on sample ``k * hop`` of the
signal, which is zero-padded by ``n_fft // 2`` on both sides. With a periodic
Hann window and ``hop = n_fft // 4`` the inverse reconstructs the signal
exactly (up to float rounding), and it is linear, so masks that sum to one
give stems that sum to the input.
"""
from __future__ import annotations

import numpy as np


def hann(n_fft: int) -> np.ndarray:
    """Periodic Hann window, float32 (n_fft,)."""
    return (0.5 - 0.5 * np.cos(2 * np.pi * np.arange(n_fft) / n_fft)).astype(np.float32)


def n_frames(n_samples: int, hop: int) -> int:
    """Frames of a centred STFT of ``n_samples``: 1 + n_samples // hop."""
    return 1 + n_samples // hop


def stft(x: np.ndarray, n_fft: int, hop: int) -> np.ndarray:
    """Centred STFT of ``x`` float32 (..., n) -> complex64 (..., n_fft // 2 + 1, frames)."""
    *lead, n = x.shape
    pad = n_fft // 2
    padded = np.zeros((*lead, n + 2 * pad + hop), dtype=np.float32)
    padded[..., pad:pad + n] = x
    frames = n_frames(n, hop)
    view = np.lib.stride_tricks.sliding_window_view(padded, n_fft, axis=-1)[..., ::hop, :][..., :frames, :]
    spec = np.fft.rfft(view * hann(n_fft), axis=-1).astype(np.complex64, copy=False)
    return np.swapaxes(spec, -1, -2)


def istft(spec: np.ndarray, n_fft: int, hop: int, length: int) -> np.ndarray:
    """Inverse of ``stft``: complex (..., bins, frames) -> float32 (..., length)."""
    *lead, bins, frames = spec.shape
    window = hann(n_fft)
    chunks = np.fft.irfft(np.swapaxes(spec, -1, -2), n=n_fft, axis=-1).astype(np.float32, copy=False)
    chunks *= window
    pad = n_fft // 2
    total = (frames - 1) * hop + n_fft
    out = np.zeros((*lead, total), dtype=np.float32)
    norm = np.zeros(total, dtype=np.float32)
    group = -(-n_fft // hop)  # frames k, k + group, ... never overlap: add each such set at once
    stride = group * hop
    for k in range(group):
        sel = chunks[..., k::group, :]
        count = sel.shape[-2]
        if count == 0:
            continue
        spaced = np.zeros((*lead, count, stride), dtype=np.float32)
        spaced[..., :n_fft] = sel
        span = count * stride
        start = k * hop
        stop = min(total, start + span)
        out[..., start:stop] += spaced.reshape(*lead, span)[..., : stop - start]
        norm[start:stop] += np.tile(np.pad(window * window, (0, stride - n_fft)), count)[: stop - start]
    end = min(total, pad + length)
    result = np.zeros((*lead, length), dtype=np.float32)
    result[..., : end - pad] = out[..., pad:end] / np.maximum(norm[pad:end], 1e-8)
    return result


def masked_stems(x: np.ndarray, spec: np.ndarray, masks: np.ndarray, n_fft: int, hop: int) -> np.ndarray:
    """Stems from soft masks that sum to one.

    x: float32 (channels, n), the signal; spec: its ``stft`` (channels, bins, frames);
    masks: float32 (stems, bins, frames), the same for every channel.
    Returns float32 (stems, channels, n); the last stem is ``x`` minus the others,
    so the stems sum to ``x`` exactly.
    """
    stems = np.empty((masks.shape[0], *x.shape), dtype=np.float32)
    for s in range(masks.shape[0] - 1):
        stems[s] = istft(spec * masks[s], n_fft, hop, x.shape[-1])
    stems[-1] = x - stems[:-1].sum(axis=0)
    return stems
