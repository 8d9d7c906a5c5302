"""Level edits: louder, softer, crescendo and diminuendo as plain catalogue edits; each reads
a project and returns one undoable command (tracks by id), like ``app.operations``.

- ``dynamics``: over bars on the dynamics curve, which the renderer plays as expression
  (so the rendered audio changes there);
- ``velocity``: the same on some tracks' note velocities, as the renderer hears them;
- ``change_gain``: a track's gain up or down.

Spans are bars, 1-based and inclusive, or None for the whole song; a note belongs to
a span when it starts inside it.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Sequence

import numpy as np

from app.commands import Command, Compound, ReplaceNotes, SetCurveSpan, SetTrackProps
from app.errors import PartitaError
from app.project import MidiTrack, Note, Project
from engines.common import CONTROL_FRAME_RATE

Bars = tuple[int, int] | None
SHAPES = ("level", "crescendo", "diminuendo")
GAIN_RANGE = (-60.0, 24.0)
"""Track gain (dB) a relative change may reach."""


def span_ticks(project: Project, bars: Bars) -> tuple[int, int]:
    """[start, end) in ticks of ``bars`` (None: the song and every note)."""
    if bars is None:
        end = max([project.length_ticks] + [t.end_tick() for t in project.midi_tracks()])
        return 0, end
    return (bars[0] - 1) * project.ticks_per_bar, bars[1] * project.ticks_per_bar


def _midi(project: Project, track_id: str) -> MidiTrack:
    track = project.track(track_id)
    if not isinstance(track, MidiTrack):
        raise PartitaError(f"{track.name} holds audio, not notes")
    return track


def _in(track: MidiTrack, span: tuple[int, int]) -> list[Note]:
    return sorted((n for n in track.notes if span[0] <= n.start < span[1]), key=lambda n: (n.start, n.pitch))


# -- dynamics --------------------------------------------------------------------------------------
def dynamics(project: Project, *, change_db: float, shape: str = "level", bars: Bars = None) -> Command:
    """The dynamics curve over ``bars``: ``shape`` "level" raises (or lowers) it by ``change_db``;
    "crescendo" rises by |change_db| to the span's own level, "diminuendo" falls by it.

    The curve is dB below the loudest frame (<= 0, unspecified = 0 dB). Where a span cannot
    rise (it is at 0 dB already), the rest of the song goes down by what is missing instead,
    so the span always ends ``change_db`` above the rest.
    """
    from engines.render.config import RenderConfig

    if shape not in SHAPES:
        raise PartitaError(f"shape must be one of {', '.join(SHAPES)}")
    config = RenderConfig()
    curve = project.curve("dynamics").astype(np.float64)
    known = np.isfinite(curve)
    base = np.where(known, curve, config.neutral_db)
    a, b = _frames(project, bars)
    if b <= a:
        raise PartitaError("those bars hold no time")
    new = curve.copy()
    if shape == "level":
        raised = base[a:b] + change_db
        overflow = max(0.0, float(raised.max()))
        if overflow > 0:
            new = base - overflow
        new[a:b] = raised - overflow
    else:
        ramp = np.linspace(-abs(change_db), 0.0, b - a)
        new[a:b] = base[a:b] + (ramp if shape == "crescendo" else ramp[::-1])
    new = np.clip(new, config.expression_floor_db, 0.0)
    verb = {"level": "Louder" if change_db > 0 else "Softer", "crescendo": "Crescendo",
            "diminuendo": "Diminuendo"}[shape]
    return SetCurveSpan("dynamics", 0, new.astype(np.float32), label=f"{verb} {_bars_label(bars)}")


def _frames(project: Project, bars: Bars) -> tuple[int, int]:
    t0, t1 = span_ticks(project, bars) if bars is not None else (0, project.length_ticks)
    seconds = np.asarray(project.tick_to_seconds(np.array([t0, t1], dtype=np.float64)))
    a, b = (int(round(float(s) * CONTROL_FRAME_RATE)) for s in seconds)
    return max(0, a), min(project.n_frames, b)


def _bars_label(bars: Bars) -> str:
    if bars is None:
        return "all bars"
    return f"bar {bars[0]}" if bars[0] == bars[1] else f"bars {bars[0]}-{bars[1]}"


def velocity_for_gain(gain: float) -> int:
    """The MIDI velocity the renderer plays at linear level ``gain`` (0-1], per its GM curve."""
    from engines.render.synth import velocity_gain

    table_db = 20 * np.log10([velocity_gain(v) for v in range(1, 128)])
    return int(np.argmin(np.abs(table_db - 20 * np.log10(max(gain, 1e-9))))) + 1


def velocity(project: Project, *, tracks: Sequence[str], change_db: float, shape: str = "level",
             bars: Bars = None) -> Compound:
    """Note velocities of ``tracks`` in ``bars`` changed by ``change_db`` as the renderer hears
    them ("crescendo"/"diminuendo": a ramp of |change_db| across the span), clipped to 1-127."""
    from engines.render.synth import velocity_gain

    if shape not in SHAPES:
        raise PartitaError(f"shape must be one of {', '.join(SHAPES)}")
    t0, t1 = span_ticks(project, bars)

    def db_at(tick: int) -> float:
        if shape == "level":
            return change_db
        x = (tick - t0) / max(1, t1 - t0)
        return -abs(change_db) * ((1 - x) if shape == "crescendo" else x)

    commands = []
    for track_id in tracks:
        old = _in(_midi(project, track_id), (t0, t1))
        new = [replace(n, velocity=velocity_for_gain(velocity_gain(n.velocity) * 10 ** (db_at(n.start) / 20)))
               for n in old]
        commands.append(ReplaceNotes(track_id, old, new, label="Velocity"))
    return Compound(f"Velocity {change_db:+g} dB {_bars_label(bars)}", commands)


def change_gain(project: Project, *, track: str, change_db: float) -> SetTrackProps:
    """A track's gain up or down by ``change_db``, within ``GAIN_RANGE``."""
    target = project.track(track)
    gain = target.gain_db + change_db
    if not GAIN_RANGE[0] <= gain <= GAIN_RANGE[1]:
        raise PartitaError(f"{target.name}'s gain would be {gain:+g} dB, outside {GAIN_RANGE[0]:g} to "
                           f"{GAIN_RANGE[1]:+g} dB")
    cmd = SetTrackProps(track, gain_db=gain)
    cmd.label = f"{target.name} gain {change_db:+g} dB"
    return cmd
