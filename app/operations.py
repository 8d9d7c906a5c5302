"""Small user-level edits as functions: each reads a project and returns one undoable command.

These are the catalogue's non-engine operations (``app.catalogue``): the
window's dialogs, ``partita apply`` and the instruction planner call them with
typed values. Every function only reads ``project`` (to know which notes to
replace); the command it returns refers to tracks by id, so it can be built
from a snapshot and pushed onto the live project's undo stack.

Spans are bars, 1-based and inclusive (``(3, 4)`` = bars 3 and 4), or None for
the whole project; a note belongs to a span when it starts inside it.
"""
from __future__ import annotations

import random
from dataclasses import replace
from typing import Callable, Sequence

import numpy as np

from app.commands import (AddTrack, Command, Compound, RemoveTrack, ReplaceNotes, SetCurveSpan,
                          SetProjectProps, SetTrackProps, erase_curve_span, set_tempo)
from app.errors import PartitaError
from app.project import (PPQ, CURVE_NAMES, MidiTrack, Note, Project, Role, TimeSignature, format_key, parse_key)
from app.settings import GRIDS
from engines.common import CONTROL_FRAME_RATE

Bars = tuple[int, int] | None
CURVE_RANGES = {"melody": (0.0, 127.0), "dynamics": (-120.0, 0.0), "rhythm": (0.0, 32.0)}
"""The values a curve may hold: MIDI pitch, dB below the loudest frame, onsets per second."""


def grid_ticks(grid: str, signature: TimeSignature) -> int:
    """Ticks per grid step; 0 when snapping is off. ``grid`` is one of ``app.settings.GRIDS``."""
    if grid not in GRIDS or grid == "off":
        return 0
    if grid == "1 bar":
        return signature.ticks_per_bar
    triplet = grid.endswith("T")
    ticks = PPQ * 4 // int(grid[2:].rstrip("T"))
    return ticks * 2 // 3 if triplet else ticks


def span_ticks(project: Project, bars: Bars) -> tuple[int, int]:
    """[start, end) ticks of ``bars`` (None: every bar, to the last note's)."""
    from app.infill import project_bars

    first, last = bars or (1, project_bars(project))
    return (first - 1) * project.ticks_per_bar, last * project.ticks_per_bar


def bars_of_span(project: Project, span: tuple[int, int]) -> tuple[int, int]:
    """The bars (1-based, inclusive) that tick span [start, end) touches: the inverse of ``span_ticks``."""
    per_bar = project.ticks_per_bar
    first = span[0] // per_bar + 1
    return first, max(first, -(-span[1] // per_bar))


def _notes_in(track: MidiTrack, span: tuple[int, int]) -> list[Note]:
    return [n for n in track.notes if span[0] <= n.start < span[1]]


def _midi(project: Project, track_id: str) -> MidiTrack:
    track = project.track(track_id)
    if not isinstance(track, MidiTrack):
        raise PartitaError(f"track {track.name!r} holds audio, not notes")
    return track


NoteChange = Callable[[MidiTrack, list[Note]], list[Note]]


def _per_track(label: str, project: Project, track_ids: Sequence[str], bars: Bars, change: NoteChange) -> Compound:
    """One undo step: for each track, its notes in ``bars`` replaced by ``change(track, notes)``."""
    if not track_ids:
        raise PartitaError(f"{label}: choose at least one track")
    span, commands = span_ticks(project, bars), []
    for track_id in track_ids:
        track = _midi(project, track_id)
        old = _notes_in(track, span)
        commands.append(ReplaceNotes(track_id, old, change(track, old), label=f"{label} {track.name}"))
    return Compound(label, commands)


# -- tracks --------------------------------------------------------------------------------------------
def add_track(project: Project, *, name: str = "MIDI", role: str = "other", program: int = 0,
              drums: bool = False) -> AddTrack:
    """A new empty MIDI track at the bottom (its name made unique)."""
    track = MidiTrack(project.unique_name(name.strip() or "MIDI"), role=Role(role), program=program,
                      is_drum=drums)
    return AddTrack(track)


def remove_track(project: Project, *, track: str) -> RemoveTrack:
    project.track(track)
    return RemoveTrack(track)


def set_muted(project: Project, *, track: str, muted: bool = True) -> SetTrackProps:
    cmd = SetTrackProps(track, muted=muted)
    cmd.label = f"{'Mute' if muted else 'Unmute'} {project.track(track).name}"
    return cmd


def set_solo(project: Project, *, track: str, solo: bool = True) -> SetTrackProps:
    cmd = SetTrackProps(track, solo=solo)
    cmd.label = f"{'Solo' if solo else 'Unsolo'} {project.track(track).name}"
    return cmd


# -- notes ---------------------------------------------------------------------------------------------
def transpose(project: Project, *, tracks: Sequence[str], semitones: int, bars: Bars = None) -> Compound:
    """Move the notes of pitched ``tracks`` in ``bars`` by ``semitones``; drum tracks are refused."""
    def change(track: MidiTrack, notes: list[Note]) -> list[Note]:
        if track.is_drum:
            raise PartitaError(f"track {track.name!r} is a drum track: transposing would change its drums")
        moved = [replace(n, pitch=n.pitch + semitones) for n in notes]
        if any(not 0 <= n.pitch <= 127 for n in moved):
            raise PartitaError(f"transposing {track.name!r} by {semitones} would leave the MIDI range 0-127")
        return moved

    return _per_track(f"Transpose {semitones:+d}", project, tracks, bars, change)


def quantise(project: Project, *, tracks: Sequence[str], grid: str = "1/16", strength: float = 1.0,
             bars: Bars = None) -> Compound:
    """Move note starts ``strength`` (0-1) of the way to the nearest ``grid`` line; lengths stay."""
    step = grid_ticks(grid, project.time_signature)
    if not step:
        raise PartitaError(f"quantise needs a grid, one of {', '.join(g for g in GRIDS if g != 'off')}")

    def change(track: MidiTrack, notes: list[Note]) -> list[Note]:
        return [replace(n, start=max(0, round(n.start + strength * (round(n.start / step) * step - n.start))))
                for n in notes]

    return _per_track("Quantise", project, tracks, bars, change)


def humanise(project: Project, *, tracks: Sequence[str], timing_ms: float = 10.0, velocity: int = 8,
             seed: int = 0, bars: Bars = None) -> Compound:
    """Nudge starts by up to ±``timing_ms`` and velocities by up to ±``velocity``, reproducibly from ``seed``."""
    rng = random.Random(seed)
    ticks_per_ms = project.tempo * PPQ / 60000.0

    def change(track: MidiTrack, notes: list[Note]) -> list[Note]:
        out = []
        for n in sorted(notes, key=lambda n: (n.start, n.pitch)):
            shift = round(rng.uniform(-timing_ms, timing_ms) * ticks_per_ms)
            vel = min(127, max(1, n.velocity + rng.randint(-velocity, velocity)))
            out.append(replace(n, start=max(0, n.start + shift), velocity=vel))
        return out

    return _per_track("Humanise", project, tracks, bars, change)


# -- the song ------------------------------------------------------------------------------------------
def change_tempo(project: Project, *, bpm: float) -> SetProjectProps:
    """One tempo for the whole song; notes keep their beats (their seconds change)."""
    return set_tempo(bpm)


def change_meter(project: Project, *, time_signature: str) -> SetProjectProps:
    """A new time signature; notes keep their beats, bars are counted anew."""
    cmd = SetProjectProps(time_signature=TimeSignature.parse(time_signature))
    cmd.label = f"Time signature {time_signature}"
    return cmd


def change_key(project: Project, *, key: str, transpose_notes: bool = False) -> Command:
    """Set the key; with ``transpose_notes`` also move every pitched note to it (by -6..+5 semitones)."""
    parsed = parse_key(key)
    if parsed is None:
        raise PartitaError("name a key, like C:major or F#:minor")
    meta = SetProjectProps(key=format_key(*parsed))
    meta.label = f"Key {format_key(*parsed)}"
    old = parse_key(project.key) if project.key else None
    if not transpose_notes or old is None:
        return meta
    shift = (parsed[0] - old[0] + 6) % 12 - 6
    pitched = [t.id for t in project.midi_tracks() if not t.is_drum]
    notes = transpose(project, tracks=pitched, semitones=shift) if pitched and shift else None
    return Compound(meta.label, [meta] + ([notes] if notes else []))


def set_curve(project: Project, *, curve: str, start: float, end: float, value: float | None = None,
              end_value: float | None = None) -> SetCurveSpan:
    """Curve ``curve`` from ``start`` to ``end`` seconds: ``value`` (ramping to ``end_value``), or
    unspecified again when ``value`` is None. Units: melody MIDI pitch, dynamics dB (<= 0), rhythm
    onsets per second."""
    if curve not in CURVE_NAMES:
        raise PartitaError(f"no curve named {curve!r}; curves: {', '.join(CURVE_NAMES)}")
    if not 0 <= start < end:
        raise PartitaError(f"a curve span runs forwards from 0:00 ({start} to {end} s)")
    a, b = int(round(start * CONTROL_FRAME_RATE)), max(int(round(end * CONTROL_FRAME_RATE)), 1)
    b = max(b, a + 1)
    if value is None:
        return erase_curve_span(curve, a, b)
    low, high = CURVE_RANGES[curve]
    for v in (value, end_value):
        if v is not None and not low <= v <= high:
            raise PartitaError(f"a {curve} value is between {low:g} and {high:g} (not {v:g})")
    values = np.linspace(value, value if end_value is None else end_value, b - a, dtype=np.float32)
    return SetCurveSpan(curve, a, values, label=f"Set {curve} curve")

