"""Where the player's audio comes from: a pluggable per-track stem source.

A ``StemSource`` turns a project into per-track stereo stems for
``app.player.Player``: float32 (2, frames) at ``project.sample_rate``, from
0:00, at unity gain and centred (the player applies mute, solo, gain and pan
live). Audio tracks play their samples. MIDI tracks need a renderer: with
``app.mixdown`` installed, ``RenderedSource`` renders them (re-rendering only
what changed, through its ``RenderCache``); without it they are silent and
``default_source`` says so.

A source runs inside a job (``app.jobs``), so it may be slow, must report
``progress`` and must check ``cancel`` between steps.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from app.exporting import renderer_available
from app.player import audio_stems
from app.project import Project
from engines.common import CancelToken, Progress

StemSource = Callable[[Project, Progress, CancelToken], dict[str, np.ndarray]]

SILENT_MIDI = "MIDI tracks are silent: no renderer is installed (app.mixdown)"


def audio_only_source(project: Project, progress: Progress, cancel: CancelToken) -> dict[str, np.ndarray]:
    """Audio tracks only; MIDI tracks stay silent."""
    progress(1.0, "audio tracks ready")
    return audio_stems(project)


class RenderedSource:
    """Audio tracks as they are, MIDI tracks rendered by ``app.mixdown.render_project``."""

    def __init__(self) -> None:
        from app import mixdown

        self._mixdown: Any = mixdown
        self.cache = mixdown.RenderCache() if hasattr(mixdown, "RenderCache") else None

    def __call__(self, project: Project, progress: Progress, cancel: CancelToken) -> dict[str, np.ndarray]:
        stems = audio_stems(project)
        if not any(t.notes for t in project.midi_tracks()):
            return stems
        rendered = self._mixdown.render_project(project, sample_rate=project.sample_rate,
                                                progress=progress, cancel=cancel, cache=self.cache)
        for track in project.midi_tracks():
            stem = rendered.stems.get(track.id)
            if stem is not None:
                stems[track.id] = np.asarray(stem, dtype=np.float32)
        return stems


def default_source() -> tuple[StemSource, str | None]:
    """The best source here, and why MIDI tracks are silent (None when they are not)."""
    if renderer_available():
        try:
            return RenderedSource(), None
        except Exception as exc:  # a broken renderer must not stop playback of audio
            return audio_only_source, f"MIDI tracks are silent in playback: the renderer failed to load ({exc})"
    return audio_only_source, SILENT_MIDI
