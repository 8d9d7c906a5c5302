"""The sound card, through sounddevice (PortAudio), opened only when needed.

``import sounddevice`` raises OSError when PortAudio is not installed, and a
machine may have PortAudio but no output device; both are normal on servers
and in containers; ``ClockOutput`` then runs the player silently in real time
so the playhead still moves. ``unavailable_reason()`` says which, in words a user can
act on, and ``DeviceOutput.start()`` raises ``PlaybackUnavailable`` with the
same words instead of crashing.

Lifecycle: ``DeviceOutput(player)`` -> ``start()`` opens the stream (once) and
keeps calling ``player.fill`` from PortAudio's thread -> ``close()``.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from app.errors import PartitaError
from app.player import Player


class PlaybackUnavailable(PartitaError):
    """No way to play sound here; the message says why and what to do."""


def _sounddevice() -> Any:
    try:
        import sounddevice
    except OSError:
        raise PlaybackUnavailable("playback is off: the PortAudio library is not installed "
                                  "(install libportaudio2, e.g. `apt install libportaudio2`)") from None
    except ImportError:
        raise PlaybackUnavailable("playback is off: the sounddevice package is missing "
                                  "(`pip install sounddevice`)") from None
    return sounddevice


def unavailable_reason() -> str | None:
    """None when an output device is ready, else one sentence on why playback is off."""
    try:
        sd = _sounddevice()
        _default_output(sd)
    except PlaybackUnavailable as exc:
        return str(exc)
    return None


def _default_output(sd: Any) -> dict:
    try:
        device = sd.query_devices(kind="output")
    except Exception as exc:  # PortAudioError, ValueError: no default device
        raise PlaybackUnavailable(f"playback is off: no audio output device ({exc})") from None
    if not device or device.get("max_output_channels", 0) < 1:
        raise PlaybackUnavailable("playback is off: no audio output device")
    return device


class DeviceOutput:
    """A PortAudio output stream that plays a ``Player``."""

    def __init__(self, player: Player, *, blocksize: int = 512, latency: str | float = "low") -> None:
        self.player = player
        self.blocksize = blocksize
        self.latency = latency
        self._stream: Any = None

    @property
    def is_open(self) -> bool:
        return self._stream is not None

    def start(self) -> None:
        """Open (first time) and start the stream; ``PlaybackUnavailable`` if it cannot."""
        if self._stream is None:
            sd = _sounddevice()
            _default_output(sd)
            try:
                self._stream = sd.OutputStream(
                    samplerate=self.player.sample_rate, channels=2, dtype="float32",
                    blocksize=self.blocksize, latency=self.latency, callback=self._callback)
            except Exception as exc:  # PortAudioError: device busy, rate unsupported, ...
                raise PlaybackUnavailable(f"playback is off: the audio device refused to open ({exc})") from None
        if not self._stream.active:
            self._stream.start()

    def _callback(self, outdata: np.ndarray, frames: int, time_info: Any, status: Any) -> None:
        self.player.fill(outdata)

    def close(self) -> None:
        if self._stream is not None:
            try:
                self._stream.stop()
                self._stream.close()
            finally:
                self._stream = None


class ClockOutput:
    """Plays a ``Player`` into nothing, in real time, so the playhead moves without a device.

    Call ``pump()`` often (a GUI timer does); each call feeds the player the
    frames that elapsed on ``clock`` (default: the player's) since the last
    one, at most a second.
    """

    def __init__(self, player: Player, *, clock: Callable[[], float] | None = None) -> None:
        self.player = player
        self.clock = clock or player.clock
        self._last: float | None = None

    @property
    def is_open(self) -> bool:
        return self._last is not None

    def start(self) -> None:
        self._last = self.clock()

    def pump(self) -> None:
        if self._last is None:
            return
        now = self.clock()
        due = int((now - self._last) * self.player.sample_rate)
        frames = min(due, self.player.sample_rate)
        if frames > 0:
            self.player.fill(np.zeros((frames, 2), dtype=np.float32), starts_at=self._last)
            self._last = now if due > frames else self._last + frames / self.player.sample_rate

    def close(self) -> None:
        self._last = None
