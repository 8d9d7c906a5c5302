"""Separating an audio file into a folder of stems, streaming: memory stays bounded.

``separate_file`` reads the input segment by segment (resampling on the fly
when the separator runs at another rate), and writes ``drums.wav``,
``bass.wav``, ``other.wav`` and ``vocals.wav`` block by block as 32-bit float
WAV (so nothing clips and the stems keep summing to the input) with the
input's sample rate, channel count and length. The stems are written under
temporary names and renamed only when all four are complete: a failed or
cancelled run leaves the folder as it was.
"""
from __future__ import annotations

import math
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import numpy as np

from app.audio_io import MAX_SECONDS, audio_info
from app.errors import InputError, PartitaError
from engines.common import CancelToken, Progress, no_progress
from engines.separate import SOURCES, StemBlock
from engines.separate.api import Separator

WAV_LIMIT = 0xFFFF_0000
"""A WAV file holds at most ~4 GiB; bigger stems are written as RF64."""
READ_BLOCK = 1 << 17


@dataclass(frozen=True)
class SeparationReport:
    """What ``separate_file`` wrote: ``paths`` by stem name, the input's length in seconds,
    which separator ran (``method``) and how long it took (``elapsed``, seconds)."""

    paths: dict[str, Path]
    seconds: float
    method: str
    elapsed: float


def stem_paths(out_dir: Path) -> dict[str, Path]:
    return {name: out_dir / f"{name}.wav" for name in SOURCES}


def check_output_dir(source: Path, out_dir: Path) -> None:
    """``PartitaError`` when ``out_dir`` cannot take the stems, or a stem would overwrite the input."""
    if out_dir.exists() and not out_dir.is_dir():
        raise PartitaError(f"{out_dir}: exists and is not a folder")
    if not out_dir.exists() and not out_dir.parent.is_dir():
        raise PartitaError(f"{out_dir.parent}: no such folder for the output")
    for path in stem_paths(out_dir).values():
        if path.exists() and path.resolve() == source.resolve():
            raise PartitaError(f"{source} would be overwritten by a stem; choose another -o folder")


def separate_file(source: Path, out_dir: Path, separator: Separator, *, progress: Progress = no_progress,
                  cancel: CancelToken | None = None) -> SeparationReport:
    """Write the four stems of ``source`` into ``out_dir`` (created if needed); see the module doc."""
    started = time.monotonic()
    info = audio_info(source)
    if info.frames == 0:
        raise InputError(f"{source}: contains no audio (0 samples)")
    if info.seconds > MAX_SECONDS:
        raise InputError(f"{source}: {info.seconds / 60:.0f} minutes is longer than the "
                         f"{MAX_SECONDS / 60:.0f}-minute limit; cut it in your DAW first")
    check_output_dir(source, out_dir)
    out_dir.mkdir(exist_ok=True)
    rate = separator.rate_for(info.sample_rate)
    reader = FileReader(source, rate)
    blocks = separator.stream(reader, reader.total, info.channels, rate, progress=progress, cancel=cancel)
    if rate != info.sample_rate:
        blocks = resample_blocks(blocks, rate, info.sample_rate, info.channels)
    paths = stem_paths(out_dir)
    try:
        _write_stems(blocks, paths, info.sample_rate, info.channels, info.frames)
    finally:
        reader.close()
    return SeparationReport(paths, info.seconds, separator.method, time.monotonic() - started)


class FileReader:
    """An ``overlap_add.Reader`` over an audio file at ``rate`` (resampled when the file's rate differs).

    Requests must move forward (each ``start`` at or after the previous one);
    a request before that restarts from the top, which is how a separator's
    second pass over the input works. Holds about one request in memory.
    """

    def __init__(self, path: Path, rate: int) -> None:
        import soundfile as sf

        self.path, self.rate = path, rate
        self.info = sf.info(str(path))
        self.total = self.info.frames if self.info.samplerate == rate else \
            math.ceil(self.info.frames * rate / self.info.samplerate)
        self._file: sf.SoundFile | None = None
        self._restart()

    def _restart(self) -> None:
        import soundfile as sf
        import soxr

        if self._file is not None:
            self._file.close()
        self._file = sf.SoundFile(str(self.path))
        self._stream = None if self.info.samplerate == self.rate else soxr.ResampleStream(
            self.info.samplerate, self.rate, self.info.channels, dtype="float32", quality="HQ")
        self._buf = np.zeros((self.info.channels, 0), dtype=np.float32)
        self._buf_start, self._eof = 0, False

    def __call__(self, start: int, stop: int) -> np.ndarray:
        """float32 (channels, stop - start); zeros past the end of a truncated file."""
        if start < self._buf_start:
            self._restart()
        while self._buf_start + self._buf.shape[1] < stop and not self._eof:
            self._buf = np.concatenate([self._buf, self._next_block()], axis=1)
        drop = min(start - self._buf_start, self._buf.shape[1])
        self._buf, self._buf_start = self._buf[:, drop:], self._buf_start + drop
        out = np.zeros((self.info.channels, stop - start), dtype=np.float32)
        got = self._buf[:, start - self._buf_start: stop - self._buf_start]
        out[:, : got.shape[1]] = got
        return out

    def _next_block(self) -> np.ndarray:
        assert self._file is not None
        try:
            block = self._file.read(READ_BLOCK, dtype="float32", always_2d=True)
        except RuntimeError:  # a truncated file: what was decoded is kept
            block = np.zeros((0, self.info.channels), dtype=np.float32)
        last = len(block) < READ_BLOCK
        self._eof = last
        if self._stream is not None:
            block = self._stream.resample_chunk(np.ascontiguousarray(block), last=last)
        return np.nan_to_num(block.T, nan=0.0, posinf=1.0, neginf=-1.0).astype(np.float32, copy=False)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()


def resample_blocks(blocks: Iterator[StemBlock], src: int, dst: int, channels: int) -> Iterator[StemBlock]:
    """``StemBlock``s at ``src`` Hz as consecutive blocks at ``dst`` Hz (one soxr stream per stem)."""
    import soxr

    streams = [soxr.ResampleStream(src, dst, channels, dtype="float32", quality="HQ") for _ in SOURCES]
    done = 0
    for block in blocks:
        out = [s.resample_chunk(np.ascontiguousarray(a.T), last=False) for s, a in zip(streams, block.audio)]
        n = min(len(o) for o in out)
        if n:
            yield StemBlock(done, np.stack([o[:n].T for o in out]))
            done += n
    out = [s.resample_chunk(np.zeros((0, channels), np.float32), last=True) for s in streams]
    n = min(len(o) for o in out)
    if n:
        yield StemBlock(done, np.stack([o[:n].T for o in out]))


def _write_stems(blocks: Iterator[StemBlock], paths: dict[str, Path], rate: int, channels: int,
                 frames: int) -> None:
    """Write ``frames`` samples of each stem (cut or zero-padded to exactly that), then rename."""
    import soundfile as sf

    fmt = "RF64" if frames * channels * 4 > WAV_LIMIT else "WAV"
    temps = {name: p.with_name(f".{p.name}.{os.getpid()}.part") for name, p in paths.items()}
    files = [sf.SoundFile(str(temps[name]), "w", samplerate=rate, channels=channels, subtype="FLOAT",
                          format=fmt) for name in SOURCES]
    written = 0
    try:
        for block in blocks:
            n = min(block.audio.shape[-1], frames - written)
            for fh, audio in zip(files, block.audio):
                fh.write(np.ascontiguousarray(audio[:, :n].T))
            written += n
        for fh in files:
            fh.write(np.zeros((frames - written, channels), dtype=np.float32))
    except BaseException:
        for fh in files:
            fh.close()
        for tmp in temps.values():
            tmp.unlink(missing_ok=True)
        raise
    for fh in files:
        fh.close()
    for name, tmp in temps.items():
        os.replace(tmp, paths[name])
