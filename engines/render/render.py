"""The render engine's front: ``render_part`` turns a Part into stereo audio.

Notes -> performance -> audio, after MIDI-DDSP: the backend plays the notes
(velocity shapes level and timbre, sustained notes get vibrato), then the
dynamics curve shapes the performance continuously, then the track's gain and
pan place it in the stereo field.
"""
from __future__ import annotations

import numpy as np

from engines.common import CancelToken, Progress, no_progress
from engines.render import builtin, soundfont
from engines.render.config import Part, RenderConfig, RenderedPart, SoundFont
from engines.render.expression import apply_expression
from engines.render.mix import apply_gain_pan


def render_part(part: Part, *, sample_rate: int = 44100, config: RenderConfig = RenderConfig(),
                sound_font: SoundFont | None = None, progress: Progress = no_progress,
                cancel: CancelToken | None = None) -> RenderedPart:
    """Render one track.

    Plays through ``sound_font`` when one is given, ``config.use_soundfont`` is
    set and its binding imports; otherwise through the built-in synthesiser
    (``RenderedPart.note`` then says why, when a SoundFont was wanted).
    Returns ``RenderedPart.audio`` float32 (2, n) at ``sample_rate`` from 0:00,
    long enough to hold every release tail; n = 0 for a part without notes.
    """
    if sample_rate < 8000:
        raise ValueError(f"sample rate {sample_rate} Hz is too low to render")
    dry, backend, note = _play(part, sample_rate, config, sound_font, progress, cancel)
    if cancel is not None:
        cancel.check()
    progress(0.9, "applying expression")
    wet = apply_expression(dry, part.dynamics, sample_rate, config)
    audio = apply_gain_pan(wet, part.gain_db, part.pan).astype(np.float32, copy=False)
    progress(1.0, "rendered")
    return RenderedPart(audio=audio, sample_rate=sample_rate, backend=backend, note=note)


def _play(part: Part, sample_rate: int, config: RenderConfig, sound_font: SoundFont | None,
          progress: Progress, cancel: CancelToken | None) -> tuple[np.ndarray, str, str]:
    """(dry float32 (2, n), backend name, note for the user)."""
    def scaled(fraction: float, message: str = "") -> None:
        progress(0.9 * fraction, message)

    note = ""
    if sound_font is not None and config.use_soundfont:
        reason = soundfont.unavailable_reason()
        if not reason:
            try:
                dry = soundfont.render_dry(part, sound_font, sample_rate, config,
                                           progress=scaled, cancel=cancel)
                return dry, f"soundfont:{sound_font.name}", ""
            except soundfont.SoundFontError as exc:
                reason = str(exc)
        note = f"SoundFont {sound_font.name} not used: {reason}; the built-in synth played"
    dry = builtin.render_dry(part, sample_rate, config, progress=scaled, cancel=cancel)
    return dry, builtin.NAME, note
