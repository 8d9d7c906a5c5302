"""The SoundFont backend, through the ``tinysoundfont`` binding (TinySoundFont in C).

Chosen because it ships self-contained wheels (no system library), loads a
font from bytes and renders offline into a buffer. Install it with
``pip install --no-deps tinysoundfont`` (its only dependency, pyaudio, is for
live playback, which Partita does not use, and needs a C build on Linux).
Expression, gain and pan are applied after this backend, exactly as for the
built-in synthesiser, so both backends follow a dynamics curve the same way.
"""
from __future__ import annotations

import threading
from typing import TYPE_CHECKING

import numpy as np

from engines.common import CancelToken, Progress
from engines.render.config import Part, RenderConfig, SoundFont

if TYPE_CHECKING:
    from tinysoundfont import Synth

INSTALL_HINT = "pip install --no-deps tinysoundfont"
DRUM_CHANNEL = 9
"""GM channel 10 (0-based 9) plays the percussion bank."""
TAIL_CHUNK_S = 0.1
"""The synth is run in calls that end on multiples of this (s) from 0:00, so a
note sounds the same whatever comes after it (the binding's envelopes step per call)."""
MAX_TAIL_S = 4.0
"""Release tails are cut this long (s) after the last note-off."""


class SoundFontError(Exception):
    """The SoundFont cannot play this part (unreadable file, no usable preset)."""


def unavailable_reason() -> str:
    """Why the SoundFont backend cannot run here ('' when it can)."""
    try:
        import tinysoundfont  # noqa: F401
    except ImportError:
        return f"the tinysoundfont binding is not installed ({INSTALL_HINT})"
    return ""


def render_dry(part: Part, sound_font: SoundFont, sample_rate: int, config: RenderConfig, *,
               progress: Progress, cancel: CancelToken | None) -> np.ndarray:
    """The part played by the SoundFont, before expression, gain and pan.

    Returns float32 (2, n) from 0:00 until every voice has ended (at most
    ``MAX_TAIL_S`` after the last note-off). The font is parsed once and kept
    for the next part (see ``LoadedFont``). Raises SoundFontError when the font
    cannot be loaded or has no usable preset.
    """
    font = loaded_font(sound_font, sample_rate)
    with font.lock:
        synth = font.fresh_synth()
        channel = font.select(part, sound_font.name)
        grid = max(1, round(TAIL_CHUNK_S * sample_rate))
        events = _events(part, sample_rate)
        chunks: list[np.ndarray] = []
        now = 0
        for i, (at, is_on, pitch, velocity) in enumerate(events):
            chunks += _advance(synth, now, at, grid)
            now = max(now, at)
            if is_on:
                synth.noteon(channel, pitch, velocity)
            else:
                synth.noteoff(channel, pitch)
            if i % 128 == 0:
                if cancel is not None:
                    cancel.check()
                progress(i / max(len(events), 1), "rendering with SoundFont")
        chunks += _tail(synth, now, grid, sample_rate)
    audio = np.concatenate(chunks, axis=1) if chunks else np.zeros((2, 0), np.float32)
    return audio * np.float32(10.0 ** (config.soundfont_gain_db / 20.0))


class LoadedFont:
    """A SoundFont parsed by the binding, with one synth, reused part after part.

    Parsing a General MIDI font (FluidR3: 148 MB) takes about half a second,
    so the engine keeps the last font it loaded (``loaded_font``). Lifecycle:
    made on first use; each part takes ``lock``, silences what an earlier
    (perhaps cancelled) part left sounding with ``fresh_synth``, selects its
    preset and plays; it is dropped when another font or sample rate is asked for.
    """

    def __init__(self, sound_font: SoundFont, sample_rate: int) -> None:
        import tinysoundfont

        self.data, self.sample_rate = sound_font.data, sample_rate
        self.lock = threading.Lock()
        self.synth = tinysoundfont.Synth(samplerate=sample_rate)
        try:
            self.sfid = self.synth.sfload(sound_font.data)
        except Exception as exc:  # the binding raises its own and OSError types
            raise SoundFontError(f"cannot load {sound_font.name}: {exc}") from exc

    def fresh_synth(self) -> Synth:
        """The synth with no voice sounding (call with ``lock`` held)."""
        self.synth.sounds_off()
        for _ in range(int(MAX_TAIL_S * self.sample_rate) // _DRAIN_BLOCK):
            if not np.any(_generate(self.synth, _DRAIN_BLOCK)):
                break
        return self.synth

    def select(self, part: Part, name: str) -> int:
        """Put the part's preset on its channel; returns the channel."""
        channel = DRUM_CHANNEL if part.is_drum else 0
        wanted = [(128, 0)] if part.is_drum else [(0, int(part.program)), (0, 0)]
        for bank, preset in wanted:
            try:
                self.synth.program_select(channel, self.sfid, bank, preset, is_drums=part.is_drum)
                return channel
            except Exception:  # no such preset: try the next candidate
                continue
        raise SoundFontError(f"{name} has no preset for "
                             f"{'the drum kit' if part.is_drum else f'program {part.program}'}")


_DRAIN_BLOCK = 64
_loaded: list[LoadedFont] = []
_loaded_lock = threading.Lock()


def loaded_font(sound_font: SoundFont, sample_rate: int) -> LoadedFont:
    """The parsed font for ``sound_font`` at ``sample_rate``: the kept one when it matches."""
    with _loaded_lock:
        for font in _loaded:
            if font.data is sound_font.data and font.sample_rate == sample_rate:
                return font
        _loaded.clear()
        font = LoadedFont(sound_font, sample_rate)
        _loaded.append(font)
        return font


def _events(part: Part, sample_rate: int) -> list[tuple[int, bool, int, int]]:
    """(sample, is_note_on, pitch, velocity), note-offs before note-ons at the same sample."""
    events = []
    for note in part.notes:
        start = max(0, int(round(note.start * sample_rate)))
        end = max(start + 1, int(round(note.end * sample_rate)))
        pitch, velocity = int(note.pitch), min(max(int(note.velocity), 1), 127)
        events.append((start, True, pitch, velocity))
        events.append((end, False, pitch, 0))
    events.sort(key=lambda e: (e[0], e[1]))
    return events


def _generate(synth: Synth, n: int) -> np.ndarray:
    """The next ``n`` samples from the synth as float32 (2, n)."""
    buffer = synth.generate(n)
    return np.frombuffer(buffer, dtype=np.float32).reshape(-1, 2).T.copy()


def _advance(synth: Synth, now: int, at: int, grid: int) -> list[np.ndarray]:
    """Samples ``now`` .. ``at`` in calls that end on multiples of ``grid``."""
    out = []
    while now < at:
        stop = min(at, (now // grid + 1) * grid)
        out.append(_generate(synth, stop - now))
        now = stop
    return out


def _tail(synth: Synth, now: int, grid: int, sample_rate: int) -> list[np.ndarray]:
    """Release tails after the last note-off, until every voice has ended or MAX_TAIL_S."""
    out: list[np.ndarray] = []
    end = now + int(MAX_TAIL_S * sample_rate)
    while now < end:
        stop = min(end, (now // grid + 1) * grid)
        block = _generate(synth, stop - now)
        if not block.any():
            break
        out.append(block)
        now = stop
    return out
