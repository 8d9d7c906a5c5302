"""A pure callback player: per-track stereo stems mixed into output blocks.

No Qt and no audio device here: an output backend (``app.audio_output``)
calls ``Player.fill`` from its audio thread, a GUI polls ``position()``.

Lifecycle: ``Player(sample_rate)`` -> ``set_stems`` / ``set_levels`` /
``set_loop`` / ``set_length`` (any time, from any thread) -> ``play()`` ->
the backend calls ``fill(out)`` block after block -> ``stop()`` or the end of
the song (``on_finished`` is then called from the audio thread). Position
only advances inside ``fill``; ``position()`` interpolates between blocks with
the ``clock`` hook so a playhead moves smoothly.
"""
from __future__ import annotations

import math
import threading
import time
from typing import Callable, Mapping

import numpy as np

from app.project import Project

Levels = Mapping[str, tuple[float, float]]
"""Track id -> (left gain, right gain), linear. A track absent here is silent."""


class Player:
    def __init__(self, sample_rate: int, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.sample_rate = sample_rate
        self.clock = clock
        self.on_finished: Callable[[], None] | None = None
        self._lock = threading.Lock()
        self._stems: dict[str, np.ndarray] = {}
        self._levels: dict[str, tuple[float, float]] = {}
        self._pos = 0
        self._length = 0
        self._loop: tuple[int, int] | None = None
        self._playing = False
        self._block_clock: float | None = None
        self._block_frames = 0
        self._block_start = 0

    # -- control (any thread) ---------------------------------------------------
    def set_stems(self, stems: Mapping[str, np.ndarray]) -> None:
        """Per-track audio: float32 (2, frames) at ``sample_rate``, from 0:00, unity gain."""
        with self._lock:
            self._stems = dict(stems)

    @property
    def stems(self) -> dict[str, np.ndarray]:
        """The stems playing now (a new dict after each ``set_stems``; do not write into it)."""
        return self._stems

    def set_levels(self, levels: Levels) -> None:
        with self._lock:
            self._levels = dict(levels)

    def set_length(self, seconds: float) -> None:
        """Where playback stops when not looping."""
        with self._lock:
            self._length = max(0, round(seconds * self.sample_rate))

    def set_loop(self, start: float, end: float, *, enabled: bool) -> None:
        """Loop [start, end) seconds while ``enabled`` and the span is not empty."""
        a, b = round(start * self.sample_rate), round(end * self.sample_rate)
        with self._lock:
            self._loop = (a, b) if enabled and b > a else None

    def play(self, at: float | None = None) -> None:
        with self._lock:
            if at is not None:
                self._pos = max(0, round(at * self.sample_rate))
            self._playing = True
            self._block_clock = None

    def stop(self) -> None:
        with self._lock:
            self._playing = False
            self._block_clock = None

    def seek(self, seconds: float) -> None:
        with self._lock:
            self._pos = max(0, round(seconds * self.sample_rate))
            self._block_clock = None

    @property
    def playing(self) -> bool:
        return self._playing

    def position(self) -> float:
        """Seconds; while playing, interpolated within the last block by ``clock``."""
        pos = self._pos
        if self._playing and self._block_clock is not None:
            elapsed = min(max(0.0, self.clock() - self._block_clock), self._block_frames / self.sample_rate)
            pos = self._block_start + round(elapsed * self.sample_rate)
            loop = self._loop
            if loop is not None and self._block_start < loop[1] <= pos:
                pos -= loop[1] - loop[0]
        return max(0, pos) / self.sample_rate

    # -- audio thread ---------------------------------------------------------------
    def fill(self, out: np.ndarray, *, starts_at: float | None = None) -> None:
        """Write the next ``len(out)`` frames into ``out``: float32 (frames, 2).

        ``starts_at``: when (on ``clock``) the block's first frame is heard;
        default now. ``position()`` interpolates from there.
        """
        out.fill(0.0)
        with self._lock:
            if not self._playing:
                return
            self._block_start = self._pos
            finished = self._fill_locked(out)
            self._block_clock = self.clock() if starts_at is None else starts_at
            self._block_frames = len(out)
        np.clip(out, -1.0, 1.0, out=out)
        if finished and self.on_finished is not None:
            self.on_finished()

    def _fill_locked(self, out: np.ndarray) -> bool:
        done = 0
        while done < len(out):
            loop = self._loop
            if loop is not None and self._pos < loop[1]:
                stop = loop[1]
            else:
                stop = self._length
            n = min(len(out) - done, stop - self._pos)
            if n > 0:
                self._mix_into(out[done:done + n], self._pos)
                self._pos += n
                done += n
            if loop is not None and self._pos >= loop[1]:
                self._pos = loop[0]
            elif self._pos >= self._length:
                self._playing = False
                return True
        return False

    def _mix_into(self, out: np.ndarray, start: int) -> None:
        for track_id, (left, right) in self._levels.items():
            stem = self._stems.get(track_id)
            if stem is None or start >= stem.shape[1] or (left == 0.0 and right == 0.0):
                continue
            part = stem[:, start:start + len(out)]
            k = part.shape[1]
            out[:k, 0] += part[0] * np.float32(left)
            out[:k, 1] += part[1] * np.float32(right)


def mute_solo_levels(project: Project) -> dict[str, tuple[float, float]]:
    """Unity (1, 1) for every audible track, honouring mute and solo.

    For stems that already carry each track's gain and pan, as
    ``app.mixdown.render_project`` makes them; muting is then instant.
    """
    return {track.id: (1.0, 1.0) for track in project.tracks if project.audible(track)}


def seconds_to_bars_beats(project: Project, seconds: float) -> tuple[int, int, int]:
    """(bar, beat, sixteenth), all 1-based, of a time in seconds."""
    tick = int(math.floor(float(project.seconds_to_tick(max(0.0, seconds))) + 1e-6))
    sig = project.time_signature
    bar, rest = divmod(tick, sig.ticks_per_bar)
    beat, rest = divmod(rest, sig.ticks_per_beat)
    sixteenth = rest // max(1, sig.ticks_per_beat // 4)
    return bar + 1, beat + 1, sixteenth + 1
