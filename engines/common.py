"""Types and constants every engine shares: notes, control frames, progress, cancel.

Times in engines are seconds unless a docstring says otherwise (the composer
works on a 16th-note grid and says so).
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Protocol

CONTROL_SAMPLE_RATE = 44100
"""Sample rate (Hz) at which control curves are defined (Music ControlNet)."""
CONTROL_HOP = 512
"""Samples per control frame at ``CONTROL_SAMPLE_RATE``."""
CONTROL_FRAME_RATE = CONTROL_SAMPLE_RATE / CONTROL_HOP
"""Control frames per second: 86.1328125."""


@dataclass(frozen=True, slots=True)
class Note:
    """One note for an engine.

    pitch: MIDI note number 0-127. start, duration: seconds from the start of
    the music. velocity: MIDI velocity 1-127.
    """

    pitch: int
    start: float
    duration: float
    velocity: int = 96

    @property
    def end(self) -> float:
        return self.start + self.duration


def midi_hz(pitch: float) -> float:
    """Equal-tempered frequency (Hz) of MIDI ``pitch``, A4 = 69 = 440 Hz."""
    return 440.0 * 2.0 ** ((pitch - 69.0) / 12.0)


class Progress(Protocol):
    """Progress callback: ``fraction`` in [0, 1], ``message`` says what runs now."""

    def __call__(self, fraction: float, message: str = "") -> None: ...


def no_progress(fraction: float, message: str = "") -> None:
    """A progress callback that ignores everything."""


class Cancelled(Exception):
    """Raised inside an engine when its cancel token was set."""


class CancelToken:
    """Set from any thread; engines call ``check()`` between steps.

    Lifecycle: created unset; ``cancel()`` sets it for good; ``check()``
    raises ``Cancelled`` once it is set.
    """

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        if self._event.is_set():
            raise Cancelled("cancelled")
