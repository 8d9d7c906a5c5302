"""Variations rendered ahead, so a user can switch between them while they loop, without a wait.

``prerender_variations`` applies each variation's command to a copy of the
project and renders it with a copy of the live renderer's cache, so only the
tracks a variation changed are rendered; each variation's renders come back
as a ``RenderedTracks`` that the live renderer adopts when that variation is
chosen (its render is then all cache hits). Runs in a job; no Qt here.
"""
from __future__ import annotations

from typing import Sequence

from app.commands import Command
from app.mixdown import AUTO, render_project
from app.project import Project
from app.rendered_tracks import RenderedTracks
from engines.common import CancelToken, Progress, no_progress
from engines.render import SoundFont


def prerender_variations(project: Project, commands: Sequence[Command], *, sample_rate: int,
                         seed: RenderedTracks, progress: Progress = no_progress,
                         cancel: CancelToken | None = None,
                         sound_font: SoundFont | None | str = AUTO) -> list[RenderedTracks]:
    """One ``RenderedTracks`` per command: ``project`` (a snapshot) with that command applied,
    rendered at ``sample_rate`` on top of ``seed``'s renders (the tracks it left alone)."""
    out: list[RenderedTracks] = []
    for index, command in enumerate(commands):
        variant = project.snapshot()
        command.do(variant)
        variant = variant.snapshot()  # note lists of its own, not the command's tracks'

        def step(fraction: float, message: str = "", index: int = index) -> None:
            progress((index + fraction) / len(commands), f"variation {index + 1}: {message}")

        cache = seed.copy()
        render_project(variant, sample_rate=sample_rate, cache=cache, progress=step, cancel=cancel,
                       sound_font=sound_font)
        out.append(cache)
    return out
