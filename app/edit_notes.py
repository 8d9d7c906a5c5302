"""Note and track edits for the instruction planner, as plain catalogue edits: each reads a
project and returns one undoable command (tracks by id), like ``app.operations``.

- ``set_mode``: major <-> minor in place, from the song's key (estimated when it has none);
- ``feel``: half-time (notes spread to twice the time) or double-time (squeezed into half,
  then repeated) over bars;
- ``clear_notes``, ``set_instrument``, ``set_pan``, ``set_length``.

Spans are bars, 1-based and inclusive, or None for the whole song; a note belongs to
a span when it starts inside it.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from app.commands import Command, Compound, RemoveNotes, ReplaceNotes, SetProjectProps, SetTrackProps
from app.edit_levels import Bars, _bars_label, _in, _midi, span_ticks
from app.errors import PartitaError
from app.project import Note, Project, format_key, parse_key

MODES = ("major", "minor")
FEELS = ("half", "double")
TO_MINOR = {4: 3, 9: 8}
"""Semitones above the tonic that move going from major to minor: the 3rd and the 6th. The 7th
stays, as harmonic minor keeps its leading tone."""
TO_MAJOR = {3: 4, 8: 9, 10: 11}
"""... and going from minor to major: the 3rd, the 6th and the 7th."""


def song_key(project: Project) -> tuple[int, str]:
    """(tonic pitch class, mode) of the project's key, else estimated from its notes."""
    parsed = parse_key(project.key) if project.key else None
    if parsed is not None:
        return parsed
    from app.infill import project_key
    from engines.compose.keys import UNKNOWN_KEY, key_parts

    found = project_key(project)
    if found == UNKNOWN_KEY:
        raise PartitaError("the song has no key and no notes to find one from; set a key first")
    return key_parts(found)


def set_mode(project: Project, *, mode: str, tracks: Sequence[str], bars: Bars = None) -> Command:
    """Pitched notes of ``tracks`` in ``bars`` moved from the key's mode to ``mode`` (the same
    tonic); for the whole song and every pitched track the key changes too."""
    if mode not in MODES:
        raise PartitaError(f"mode must be {' or '.join(MODES)}")
    tonic, current = song_key(project)
    if current == mode:
        raise PartitaError(f"the song is in {format_key(tonic, mode).replace(':', ' ')} already")
    moves = TO_MAJOR if mode == "major" else TO_MINOR
    span = span_ticks(project, bars)
    commands: list[Command] = []
    for track_id in tracks:
        track = _midi(project, track_id)
        if track.is_drum:
            continue
        old = _in(track, span)
        new = [replace(n, pitch=_moved(n.pitch, tonic, moves)) for n in old]
        commands.append(ReplaceNotes(track_id, old, new, label=f"Mode {mode}"))
    pitched = {t.id for t in project.midi_tracks() if not t.is_drum}
    if bars is None and pitched <= set(tracks):
        commands.append(SetProjectProps(key=format_key(tonic, mode)))
    return Compound(f"Mode {mode} {_bars_label(bars)}", commands)


def _moved(pitch: int, tonic: int, moves: dict[int, int]) -> int:
    degree = (pitch - tonic) % 12
    return pitch + moves.get(degree, degree) - degree


def feel(project: Project, *, feel: str, tracks: Sequence[str], bars: Bars = None) -> Compound:
    """Half-time: the notes of ``bars`` spread to twice their time from the span's start (what
    would pass its end is dropped). Double-time: squeezed into the first half, then repeated."""
    if feel not in FEELS:
        raise PartitaError(f"feel must be {' or '.join(FEELS)}")
    t0, t1 = span_ticks(project, bars) if bars is not None else (0, project.length_ticks)
    commands = []
    for track_id in tracks:
        old = _in(_midi(project, track_id), (t0, t1))
        if feel == "half":
            new = [Note(n.pitch, t0 + 2 * (n.start - t0), 2 * n.duration, n.velocity) for n in old]
            new = [n for n in new if n.start < t1]
        else:
            half = [Note(n.pitch, t0 + (n.start - t0) // 2, max(1, n.duration // 2), n.velocity) for n in old]
            shift = (t1 - t0) // 2
            new = half + [replace(n, start=n.start + shift) for n in half if n.start + shift < t1]
        commands.append(ReplaceNotes(track_id, old, new, label=f"{feel.capitalize()}-time"))
    return Compound(f"{feel.capitalize()}-time {_bars_label(bars)}", commands)


def clear_notes(project: Project, *, tracks: Sequence[str], bars: tuple[int, int]) -> Compound:
    """Delete the notes of ``tracks`` that start in ``bars``."""
    span = span_ticks(project, bars)
    commands = [RemoveNotes(t, _in(_midi(project, t), span)) for t in tracks]
    return Compound(f"Clear {_bars_label(bars)}", commands)


def set_instrument(project: Project, *, track: str, program: int) -> SetTrackProps:
    """Play a pitched MIDI track on General MIDI ``program`` (0-127)."""
    target = _midi(project, track)
    if target.is_drum:
        raise PartitaError(f"{target.name} plays the drum kit; choose a pitched track")
    if not 0 <= program <= 127:
        raise PartitaError("a General MIDI program is 0-127")
    cmd = SetTrackProps(track, program=program)
    cmd.label = f"Instrument of {target.name}"
    return cmd


def set_pan(project: Project, *, track: str, pan: float) -> SetTrackProps:
    """A track's pan: -1 hard left, 0 centre, 1 hard right."""
    if not -1.0 <= pan <= 1.0:
        raise PartitaError("pan is between -1 (left) and 1 (right)")
    cmd = SetTrackProps(track, pan=float(pan))
    cmd.label = f"Pan {project.track(track).name}"
    return cmd


def set_length(project: Project, *, bars: int) -> Command:
    """The song ``bars`` long; shortening deletes the notes that start after the new end."""
    if not 1 <= bars <= 10000:
        raise PartitaError("a song is 1 to 10000 bars long")
    commands: list[Command] = [SetProjectProps(length_bars=bars)]
    end = bars * project.ticks_per_bar
    for track in project.midi_tracks():
        late = [n for n in track.notes if n.start >= end]
        if late:
            commands.append(RemoveNotes(track.id, late))
    return Compound(f"Song length {bars} bars", commands)
