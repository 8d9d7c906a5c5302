"""Rendering: notes + dynamics curve -> stereo audio per track (MIDI-DDSP's notes ->
performance -> audio), through a built-in synthesiser that needs nothing
installed, or a SoundFont when one is given and ``tinysoundfont`` imports.

Front: ``render_part(part, sample_rate=..., config=..., sound_font=...)`` ->
``RenderedPart`` (audio float32 (2, n), backend name).
"""
from engines.render.config import (  # noqa: F401
    Part,
    RenderConfig,
    RenderedPart,
    SoundFont,
)
from engines.render.render import render_part  # noqa: F401
