"""Audio files in and out, with soundfile (libsndfile) and soxr.

``read_audio`` streams the file in blocks and resamples each block into one
preallocated float32 array, so a long file is held in memory once. Files
longer than ``MAX_SECONDS`` are refused before anything is read.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from app.errors import InputError

if TYPE_CHECKING:
    import soxr

AUDIO_EXTENSIONS = (".wav", ".wave", ".flac", ".ogg", ".oga", ".mp3", ".aif", ".aiff")
MAX_SECONDS = 60 * 60
"""The longest audio Partita imports (one hour): a stem longer than that is
almost certainly a mistake, and three hours of stereo would need ~4 GB."""
BLOCK = 1 << 18
BIT_DEPTHS = {"16": "PCM_16", "24": "PCM_24", "32f": "FLOAT"}


@dataclass(frozen=True)
class AudioInfo:
    sample_rate: int
    channels: int
    frames: int
    format: str

    @property
    def seconds(self) -> float:
        return self.frames / self.sample_rate if self.sample_rate else 0.0


def audio_info(path: str | os.PathLike[str]) -> AudioInfo:
    """Header facts; ``InputError`` for a missing, empty or unreadable file."""
    import soundfile as sf

    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    if path.stat().st_size == 0:
        raise InputError(f"{path}: the file is empty")
    try:
        info = sf.info(str(path))
    except (sf.LibsndfileError, RuntimeError, ValueError) as exc:
        raise InputError(f"{path}: not a readable audio file ({_reason(exc)})") from None
    if info.samplerate <= 0 or info.channels <= 0:
        raise InputError(f"{path}: not a readable audio file (bad header)")
    return AudioInfo(info.samplerate, info.channels, info.frames, info.format)


def _reason(exc: Exception) -> str:
    text = str(exc).split("\n")[-1].strip()
    return text.split(": ", 1)[-1] if text else type(exc).__name__


def read_audio(path: str | os.PathLike[str], sample_rate: int, *,
               max_seconds: float = MAX_SECONDS) -> np.ndarray:
    """Decode ``path`` to float32 of shape (channels, frames) at ``sample_rate``.

    Mono stays mono and stereo stays stereo; more channels are folded to
    stereo (see ``fold_to_stereo``). Raises ``InputError`` with a one-line
    reason for anything it cannot use.
    """
    import soundfile as sf

    info = audio_info(path)
    if info.frames == 0:
        raise InputError(f"{path}: contains no audio (0 samples)")
    if info.seconds > max_seconds:
        raise InputError(f"{path}: {info.seconds / 60:.0f} minutes is longer than the "
                         f"{max_seconds / 60:.0f}-minute limit; cut it in your DAW first")
    out_channels = min(info.channels, 2)
    expected = info.frames if info.sample_rate == sample_rate else \
        int(np.ceil(info.frames * sample_rate / info.sample_rate)) + 16
    out = np.zeros((out_channels, expected), dtype=np.float32)
    stream = _resampler(info.sample_rate, sample_rate, out_channels)
    filled = 0
    try:
        with sf.SoundFile(str(path)) as f:
            for block in f.blocks(blocksize=BLOCK, dtype="float32", always_2d=True):
                filled = _put(out, filled, _convert(block, stream, last=False))
            filled = _put(out, filled, _convert(np.zeros((0, out_channels), np.float32), stream, last=True))
    except (sf.LibsndfileError, RuntimeError, ValueError) as exc:
        if filled == 0:
            raise InputError(f"{path}: not a readable audio file ({_reason(exc)})") from None
        # A truncated file: keep what could be decoded.
    if filled == 0:
        raise InputError(f"{path}: contains no audio (0 samples)")
    return _shrink(out, filled)


def _shrink(out: np.ndarray, filled: int) -> np.ndarray:
    """(channels, n) -> a C-contiguous (channels, filled) in the same memory, no second copy."""
    channels, n = out.shape
    if filled == n:
        return out
    flat = out.reshape(-1)
    for ch in range(1, channels):  # move each channel down; the target always lies before the source
        for start in range(0, filled, BLOCK):
            stop = min(filled, start + BLOCK)
            flat[ch * filled + start: ch * filled + stop] = flat[ch * n + start: ch * n + stop]
    return flat[: channels * filled].reshape(channels, filled)


def _resampler(src: int, dst: int, channels: int) -> soxr.ResampleStream | None:
    """A soxr stream from ``src`` to ``dst`` Hz, or None when the rates match."""
    import soxr

    return None if src == dst else soxr.ResampleStream(src, dst, channels, dtype="float32", quality="HQ")


def _convert(block: np.ndarray, stream: soxr.ResampleStream | None, *, last: bool) -> np.ndarray:
    """(frames, channels) block -> folded, resampled (frames, out_channels)."""
    block = fold_to_stereo(block) if block.shape[1] > 2 else block
    if stream is None:
        return block
    return stream.resample_chunk(np.ascontiguousarray(block, dtype=np.float32), last=last)


def _put(out: np.ndarray, filled: int, block: np.ndarray) -> int:
    n = min(len(block), out.shape[1] - filled)
    out[:, filled:filled + n] = np.nan_to_num(block[:n].T, nan=0.0, posinf=1.0, neginf=-1.0)
    return filled + n


def fold_to_stereo(block: np.ndarray) -> np.ndarray:
    """(frames, channels>2) -> (frames, 2).

    5.1 and 7.1 (L R C LFE Ls Rs [Lb Rb]) use the ITU downmix (centre and
    surrounds at -3 dB, LFE dropped); other layouts send even channels left
    and odd channels right.
    """
    n = block.shape[1]
    if n in (6, 8):
        g = np.float32(0.7071)
        left = block[:, 0] + g * block[:, 2] + g * block[:, 4]
        right = block[:, 1] + g * block[:, 2] + g * block[:, 5]
        if n == 8:
            left, right = left + g * block[:, 6], right + g * block[:, 7]
        scale = np.float32(1.0 / (1.0 + g * (3 if n == 8 else 2)))
        return np.stack([left, right], axis=1) * scale
    return np.stack([block[:, 0::2].mean(axis=1), block[:, 1::2].mean(axis=1)], axis=1)


def resample(samples: np.ndarray, src: int, dst: int) -> np.ndarray:
    """(channels, frames) float32 from ``src`` Hz to ``dst`` Hz."""
    if src == dst:
        return samples
    import soxr

    out = soxr.resample(np.ascontiguousarray(samples.T), src, dst, quality="HQ")
    return np.ascontiguousarray(np.asarray(out, dtype=np.float32).reshape(-1, samples.shape[0]).T)


def write_audio(path: str | os.PathLike[str], samples: np.ndarray, sample_rate: int,
                bit_depth: str = "24") -> None:
    """Write (channels, frames) float samples atomically. ``bit_depth``: "16", "24" or "32f".

    16-bit output gets TPDF dither. The format follows the extension (.wav,
    .flac; FLAC cannot hold floats, so "32f" needs .wav).
    """
    import soundfile as sf

    from app.projectfile import atomic_write

    if bit_depth not in BIT_DEPTHS:
        raise InputError(f"bit depth {bit_depth!r} is not one of 16, 24, 32f")
    path = Path(path)
    fmt = {".wav": "WAV", ".flac": "FLAC"}.get(path.suffix.lower())
    if fmt is None:
        raise InputError(f"{path}: write .wav or .flac")
    if fmt == "FLAC" and bit_depth == "32f":
        raise InputError("FLAC holds 16 or 24 bits; use .wav for 32-bit float")
    data = np.ascontiguousarray(np.asarray(samples, dtype=np.float32).T)
    if bit_depth == "16":
        rng = np.random.default_rng(0)
        lsb = 1.0 / 32768
        data = data + (rng.random(data.shape) - rng.random(data.shape)).astype(np.float32) * lsb
    if bit_depth != "32f":
        data = np.clip(data, -1.0, 1.0 - 1.0 / (1 << 23))
    with atomic_write(path) as fh:
        sf.write(fh, data, sample_rate, format=fmt, subtype=BIT_DEPTHS[bit_depth])
