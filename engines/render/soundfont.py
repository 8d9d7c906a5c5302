"""The SoundFont backend, through the ``tinysoundfont`` binding (TinySoundFont in C).

Chosen because it ships self-contained wheels (no system library), loads a
font from bytes and renders offline into a buffer. Install it with
``pip install --no-deps tinysoundfont`` (its only dependency, pyaudio, is for
live playback, which Partita does not use, and needs a C build on Linux).
Expression, gain and pan are applied after this backend, exactly as for the
built-in synthesiser, so both backends follow a dynamics curve the same way.
"""
from __future__ import annotations

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
MAX_TAIL_S = 4.0
SILENT = 1e-4
"""A tail chunk whose peak is below this (-80 dBFS) ends the rendering."""


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

    Returns float32 (2, n) from 0:00 to where the last tail falls below -80 dBFS.
    Raises SoundFontError when the font cannot be loaded or has no usable preset.
    """
    synth, channel = _synth_for(part, sound_font, sample_rate)
    events = _events(part, sample_rate)
    chunks: list[np.ndarray] = []
    now = 0
    for i, (at, is_on, pitch, velocity) in enumerate(events):
        if at > now:
            chunks.append(_generate(synth, at - now))
            now = at
        if is_on:
            synth.noteon(channel, pitch, velocity)
        else:
            synth.noteoff(channel, pitch)
        if i % 128 == 0:
            if cancel is not None:
                cancel.check()
            progress(i / max(len(events), 1), "rendering with SoundFont")
    chunks.extend(_tail(synth, sample_rate))
    audio = np.concatenate(chunks, axis=1) if chunks else np.zeros((2, 0), np.float32)
    return audio * np.float32(10.0 ** (config.soundfont_gain_db / 20.0))


def _synth_for(part: Part, sound_font: SoundFont, sample_rate: int) -> tuple[Synth, int]:
    """A fresh synth with the font loaded and the part's preset on its channel."""
    import tinysoundfont

    synth = tinysoundfont.Synth(samplerate=sample_rate)
    try:
        sfid = synth.sfload(sound_font.data)
    except Exception as exc:  # the binding raises its own and OSError types
        raise SoundFontError(f"cannot load {sound_font.name}: {exc}") from exc
    channel = DRUM_CHANNEL if part.is_drum else 0
    wanted = [(128, 0)] if part.is_drum else [(0, int(part.program)), (0, 0)]
    for bank, preset in wanted:
        try:
            synth.program_select(channel, sfid, bank, preset, is_drums=part.is_drum)
            return synth, channel
        except Exception:  # no such preset: try the next candidate
            continue
    raise SoundFontError(f"{sound_font.name} has no preset for "
                         f"{'the drum kit' if part.is_drum else f'program {part.program}'}")


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


def _tail(synth: Synth, sample_rate: int) -> list[np.ndarray]:
    """Release tails after the last note-off, until silence or MAX_TAIL_S."""
    out = []
    chunk = max(1, int(TAIL_CHUNK_S * sample_rate))
    for _ in range(int(MAX_TAIL_S / TAIL_CHUNK_S)):
        block = _generate(synth, chunk)
        out.append(block)
        if float(np.max(np.abs(block))) < SILENT:
            break
    return out
