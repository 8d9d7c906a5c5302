"""Render settings with their documented defaults, and the Part a renderer plays."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from engines.common import Note

SAMPLE_RATES = (44100, 48000)
"""Sample rates (Hz) the renderer is tested at; others work but are not promised."""


@dataclass(frozen=True)
class RenderConfig:
    """How notes become audio. Every field has a default a user can rely on.

    neutral_db: expression gain (dB) where the dynamics curve is unspecified (NaN).
        0 dB means "as loud as the velocities say".
    expression_smooth_s: moving-average length (s) applied to the dynamics curve
        before it becomes a gain, so drawn steps do not click.
    expression_brightness: how much a quiet passage also darkens (0 = level only,
        1 = at -30 dB the sound is fully low-passed).
    expression_floor_db: the curve is clipped below this (dB) so "silence" stays audible.
    vibrato: whether sustained lead, string, brass and reed notes get vibrato.
    track_level_db: level (dB) of a velocity-127 note before gain and pan; leaves
        room for several tracks before the mix needs scaling.
    velocity_layers: timbre layers across velocity 1-127 (level follows velocity
        exactly; timbre changes in this many steps, which keeps the note cache small).
    note_cache_mb: memory (MiB) the per-note waveform cache may hold.
    use_soundfont: render through the SoundFont when one is given and its
        binding imports; False forces the built-in synthesiser.
    soundfont_gain_db: gain (dB) applied to SoundFont output so it sits near the
        built-in synth's level.
    """

    neutral_db: float = 0.0
    expression_smooth_s: float = 0.03
    expression_brightness: float = 0.5
    expression_floor_db: float = -60.0
    vibrato: bool = True
    track_level_db: float = -9.0
    velocity_layers: int = 16
    note_cache_mb: int = 256
    use_soundfont: bool = True
    soundfont_gain_db: float = 0.0


@dataclass(frozen=True)
class SoundFont:
    """A SoundFont's bytes (sf2/sf3), read by the app; ``name`` is shown to the user."""

    name: str
    data: bytes = field(repr=False)


@dataclass(frozen=True, eq=False)
class Part:
    """One track to render.

    notes: notes in seconds from 0:00 (``engines.common.Note``).
    program: GM program 0-127 (ignored when ``is_drum``).
    is_drum: play the GM percussion map (channel 10) instead of a pitched program.
    gain_db: track gain in dB. pan: -1 (left) .. 1 (right).
    dynamics: float32 dB <= 0 per control frame at ``CONTROL_FRAME_RATE`` from
        0:00, NaN = unspecified (neutral); None = no expression curve.
    """

    notes: tuple[Note, ...]
    program: int = 0
    is_drum: bool = False
    gain_db: float = 0.0
    pan: float = 0.0
    dynamics: np.ndarray | None = None


@dataclass(frozen=True, eq=False)
class RenderedPart:
    """A rendered track: ``audio`` float32 (2, frames) at ``sample_rate`` from 0:00.

    backend: which synthesiser played, e.g. "builtin" or "soundfont:FluidR3_GM.sf2".
    note: a sentence for the user when the wished-for backend could not play.
    """

    audio: np.ndarray
    sample_rate: int
    backend: str
    note: str = ""
