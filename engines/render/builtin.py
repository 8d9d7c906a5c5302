"""The built-in backend: a Part's notes -> a dry stereo track, from cached note waveforms."""
from __future__ import annotations

import numpy as np

from engines.common import CancelToken, Note, Progress
from engines.render.wave_cache import WaveCache
from engines.render.config import Part, RenderConfig
from engines.render.drums import CHOKED_BY, drum_for_key, hit_wave
from engines.render.instruments import patch_for_program
from engines.render.mix import Placed, place_all
from engines.render.synth import layer_velocity, note_wave, velocity_gain, velocity_layer

NAME = "builtin"
CHOKE_FADE_S = 0.008
"""Fade (s) when a choked cymbal or open hat is cut by the piece that stops it."""
_CACHE = WaveCache(256 << 20)
"""Note waveforms shared by every render in this process."""


def note_cache() -> WaveCache:
    """The process-wide cache of note waveforms (for statistics and tests)."""
    return _CACHE


def render_dry(part: Part, sample_rate: int, config: RenderConfig, *,
               progress: Progress, cancel: CancelToken | None) -> np.ndarray:
    """The part's notes at ``config.track_level_db``, before expression, gain and pan.

    Returns float32 (2, n) from 0:00 to the end of the last release tail.
    """
    _CACHE.max_bytes = config.note_cache_mb << 20
    notes = sorted(part.notes, key=lambda n: (n.start, n.pitch))
    place = _drum_hits if part.is_drum else _pitched_notes
    items = place(part, notes, sample_rate, config, progress, cancel)
    out = place_all(items)
    out *= np.float32(10.0 ** (config.track_level_db / 20.0))
    return out


def _pitched_notes(part: Part, notes: list[Note], sample_rate: int, config: RenderConfig,
                   progress: Progress, cancel: CancelToken | None) -> list[Placed]:
    patch = patch_for_program(part.program)
    layers = config.velocity_layers
    items = []
    for i, note in enumerate(notes):
        _tick(i, len(notes), progress, cancel)
        layer = velocity_layer(note.velocity, layers)
        n_hold = max(1, int(round(note.duration * sample_rate)))
        key = ("pitched", patch.name, int(note.pitch), layer, layers, n_hold, sample_rate,
               config.vibrato)
        wave = _CACHE.get_or_make(key, lambda: note_wave(
            patch, int(note.pitch), layer_velocity(layer, layers), n_hold, sample_rate,
            vibrato=config.vibrato))
        items.append(Placed(_start(note, sample_rate), wave, velocity_gain(note.velocity)))
    return items


def _drum_hits(part: Part, notes: list[Note], sample_rate: int, config: RenderConfig,
               progress: Progress, cancel: CancelToken | None) -> list[Placed]:
    layers = config.velocity_layers
    items = []
    for i, note in enumerate(notes):
        _tick(i, len(notes), progress, cancel)
        layer = velocity_layer(note.velocity, layers)
        drum = drum_for_key(note.pitch)
        key = ("drum", drum.name, layer, layers, sample_rate)
        wave = _CACHE.get_or_make(key, lambda: hit_wave(
            drum, layer_velocity(layer, layers), sample_rate))
        start = _start(note, sample_rate)
        stop = _choke_sample(note, notes, i, sample_rate)
        if stop is not None and stop - start < wave.shape[1]:
            wave = _cut(wave, stop - start, int(CHOKE_FADE_S * sample_rate))
        items.append(Placed(start, wave, velocity_gain(note.velocity)))
    return items


def _choke_sample(note: Note, notes: list[Note], index: int, sample_rate: int) -> int | None:
    """Where a later hit of a choking piece stops this one (sample), else None."""
    chokers = CHOKED_BY.get(int(note.pitch))
    if not chokers:
        return None
    for later in notes[index + 1:]:
        if later.pitch in chokers and later.start > note.start:
            return _start(later, sample_rate)
    return None


def _cut(wave: np.ndarray, n: int, fade: int) -> np.ndarray:
    """The first ``n`` samples of ``wave`` (2, m) with a linear fade over the last ``fade``."""
    n = max(1, n)
    out = wave[:, :n].copy()
    fade = min(fade, n)
    out[:, n - fade:] *= np.linspace(1.0, 0.0, fade, dtype=np.float32)
    return out


def _start(note: Note, sample_rate: int) -> int:
    return max(0, int(round(note.start * sample_rate)))


def _tick(i: int, total: int, progress: Progress, cancel: CancelToken | None) -> None:
    if i % 64 == 0:
        if cancel is not None:
            cancel.check()
        progress(i / max(total, 1), "rendering notes")
