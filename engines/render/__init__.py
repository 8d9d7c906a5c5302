"""Rendering: notes + dynamics curve -> stereo audio per track (MIDI-DDSP's notes ->
performance -> audio), through a built-in synthesiser that needs nothing
installed, or a SoundFont when one is given and ``tinysoundfont`` imports.

Front: ``render_part(part, sample_rate=..., config=..., sound_font=...)`` ->
``RenderedPart`` (audio float32 (2, n), backend name). The synthesisers load
on first use of ``render_part``, so code that only needs the config (the CLI's
options) does not pay for them.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from engines.render.config import (  # noqa: F401
    Part,
    RenderConfig,
    RenderedPart,
    SoundFont,
)

if TYPE_CHECKING:
    from engines.render.render import render_part  # noqa: F401


def __getattr__(name: str) -> Any:
    if name == "render_part":
        from engines.render.render import render_part

        return render_part
    raise AttributeError(f"module 'engines.render' has no attribute {name!r}")
