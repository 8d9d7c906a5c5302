"""Undoable edit commands on a Project, in pure Python.

A command records what it needs to undo itself exactly. Run commands through
``UndoStack.push`` (usually via ``Document``); never mutate a project that a
GUI shows by any other route.

Every command names what it changed in ``change`` (a ``Change``), so views can
redraw only that.
"""
from __future__ import annotations

import copy
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Sequence

import numpy as np

from app.project import (
    CURVE_NAMES,
    MidiTrack,
    Note,
    Project,
    Role,
    TempoChange,
    TimeSignature,
    Track,
    parse_key,
)


@dataclass(frozen=True)
class Change:
    """What a command touched: ``what`` is "notes", "tracks", "track", "curve" or "meta"."""

    what: str
    track_id: str | None = None
    curve: str | None = None


class Command(ABC):
    """Base class: ``do`` applies, ``undo`` restores exactly; ``label`` is for menus."""

    label = "Edit"

    @abstractmethod
    def do(self, project: Project) -> None:
        """Apply the change; raise (leaving the project as it was) if it cannot apply."""

    @abstractmethod
    def undo(self, project: Project) -> None:
        """Restore exactly what ``do`` changed."""

    @property
    def changes(self) -> tuple[Change, ...]:
        return (Change("meta"),)


def _check_note(note: Note) -> Note:
    if not (0 <= note.pitch <= 127 and 1 <= note.velocity <= 127):
        raise ValueError(f"note out of range: {note}")
    if note.start < 0 or note.duration < 1:
        raise ValueError(f"note has a negative start or no length: {note}")
    return note


def _midi(project: Project, track_id: str) -> MidiTrack:
    track = project.track(track_id)
    if not isinstance(track, MidiTrack):
        raise ValueError(f"track {track.name!r} holds audio, not notes")
    return track


def _remove_each(notes: list[Note], gone: Iterable[Note]) -> None:
    for note in gone:
        notes.remove(note)


class AddNotes(Command):
    label = "Add notes"

    def __init__(self, track_id: str, notes: Sequence[Note]) -> None:
        self.track_id = track_id
        self.notes = [_check_note(n) for n in notes]

    def do(self, project: Project) -> None:
        _midi(project, self.track_id).notes.extend(self.notes)

    def undo(self, project: Project) -> None:
        _remove_each(_midi(project, self.track_id).notes, self.notes)

    @property
    def changes(self) -> tuple[Change, ...]:
        return (Change("notes", self.track_id),)


class RemoveNotes(AddNotes):
    label = "Delete notes"

    def do(self, project: Project) -> None:
        AddNotes.undo(self, project)

    def undo(self, project: Project) -> None:
        AddNotes.do(self, project)


class ReplaceNotes(Command):
    """Swap ``old`` notes for ``new`` ones: move, resize, transpose, velocity, infill."""

    label = "Edit notes"

    def __init__(self, track_id: str, old: Sequence[Note], new: Sequence[Note], *,
                 label: str | None = None) -> None:
        self.track_id = track_id
        self.old = list(old)
        self.new = [_check_note(n) for n in new]
        if label:
            self.label = label

    def do(self, project: Project) -> None:
        notes = _midi(project, self.track_id).notes
        _remove_each(notes, self.old)
        notes.extend(self.new)

    def undo(self, project: Project) -> None:
        notes = _midi(project, self.track_id).notes
        _remove_each(notes, self.new)
        notes.extend(self.old)

    @property
    def changes(self) -> tuple[Change, ...]:
        return (Change("notes", self.track_id),)


class AddTrack(Command):
    label = "Add track"

    def __init__(self, track: Track, index: int | None = None) -> None:
        self.track = track
        self.index = index

    def do(self, project: Project) -> None:
        if any(t.id == self.track.id for t in project.tracks):
            raise ValueError(f"track id {self.track.id} already in the project")
        index = len(project.tracks) if self.index is None else self.index
        project.tracks.insert(index, self.track)

    def undo(self, project: Project) -> None:
        project.tracks.remove(self.track)

    @property
    def changes(self) -> tuple[Change, ...]:
        return (Change("tracks"),)


class RemoveTrack(Command):
    label = "Delete track"

    def __init__(self, track_id: str) -> None:
        self.track_id = track_id
        self.index = -1
        self.track: Track | None = None

    def do(self, project: Project) -> None:
        self.track = project.track(self.track_id)
        self.index = project.tracks.index(self.track)
        project.tracks.pop(self.index)

    def undo(self, project: Project) -> None:
        assert self.track is not None
        project.tracks.insert(self.index, self.track)

    @property
    def changes(self) -> tuple[Change, ...]:
        return (Change("tracks"),)


class MoveTrack(Command):
    label = "Reorder tracks"

    def __init__(self, track_id: str, new_index: int) -> None:
        self.track_id = track_id
        self.new_index = new_index
        self.old_index = -1

    def do(self, project: Project) -> None:
        track = project.track(self.track_id)
        self.old_index = project.tracks.index(track)
        project.tracks.pop(self.old_index)
        project.tracks.insert(max(0, min(self.new_index, len(project.tracks))), track)

    def undo(self, project: Project) -> None:
        track = project.track(self.track_id)
        project.tracks.remove(track)
        project.tracks.insert(self.old_index, track)

    @property
    def changes(self) -> tuple[Change, ...]:
        return (Change("tracks"),)


_TRACK_PROPS = {"name", "role", "program", "is_drum", "muted", "solo", "gain_db", "pan", "color", "group"}


class SetTrackProps(Command):
    """Change track fields: name, role, program, is_drum, muted, solo, gain_db, pan, color, group."""

    label = "Track settings"

    def __init__(self, track_id: str, **props: Any) -> None:
        unknown = set(props) - _TRACK_PROPS
        if unknown:
            raise ValueError(f"unknown track properties: {sorted(unknown)}")
        if "role" in props:
            props["role"] = Role(props["role"])
        self.track_id = track_id
        self.props = props
        self.old: dict[str, Any] = {}

    def do(self, project: Project) -> None:
        track = project.track(self.track_id)
        for key in self.props:
            if not hasattr(track, key):
                raise ValueError(f"an {track.kind} track has no {key}")
        self.old = {key: getattr(track, key) for key in self.props}
        for key, value in self.props.items():
            setattr(track, key, value)

    def undo(self, project: Project) -> None:
        track = project.track(self.track_id)
        for key, value in self.old.items():
            setattr(track, key, value)

    @property
    def changes(self) -> tuple[Change, ...]:
        return (Change("track", self.track_id),)


class SetCurveSpan(Command):
    """Write ``values`` into curve ``name`` from frame ``start``; NaN erases (unspecified).

    ``values``: float32 array, one value per control frame (44100/512 Hz).
    The stored curve grows (NaN-filled) when the span runs past its end.
    """

    label = "Draw curve"

    def __init__(self, name: str, start: int, values: np.ndarray, *, label: str | None = None) -> None:
        if name not in CURVE_NAMES:
            raise ValueError(f"no curve named {name!r}")
        if start < 0:
            raise ValueError("a curve span cannot start before 0:00")
        self.name = name
        self.start = int(start)
        self.values = np.asarray(values, dtype=np.float32).copy()
        self.old: np.ndarray | None = None
        if label:
            self.label = label

    def do(self, project: Project) -> None:
        stored = project.curves.get(self.name)
        self.old = None if stored is None else stored.copy()
        end = self.start + len(self.values)
        size = max(end, 0 if stored is None else len(stored))
        curve = np.full(size, np.nan, dtype=np.float32)
        if stored is not None:
            curve[: len(stored)] = stored
        curve[self.start:end] = self.values
        project.curves[self.name] = curve

    def undo(self, project: Project) -> None:
        if self.old is None:
            project.curves.pop(self.name, None)
        else:
            project.curves[self.name] = self.old

    @property
    def changes(self) -> tuple[Change, ...]:
        return (Change("curve", curve=self.name),)


def erase_curve_span(name: str, start: int, stop: int) -> SetCurveSpan:
    """Make frames [start, stop) of curve ``name`` unspecified again."""
    values = np.full(max(0, stop - start), np.nan, dtype=np.float32)
    return SetCurveSpan(name, start, values, label="Erase curve")


class SetProjectProps(Command):
    """Change project fields: name, key, length_bars, last_bar_ticks, time_signature, tempo_map,
    loop_*. A new length or meter without ``last_bar_ticks`` makes the last bar whole again."""

    label = "Project settings"
    _ALLOWED = {"name", "key", "length_bars", "last_bar_ticks", "time_signature", "tempo_map",
                "loop_start", "loop_end", "loop_enabled"}

    def __init__(self, **props: Any) -> None:
        unknown = set(props) - self._ALLOWED
        if unknown:
            raise ValueError(f"unknown project properties: {sorted(unknown)}")
        _validate_project_props(props)
        if ("length_bars" in props or "time_signature" in props) and "last_bar_ticks" not in props:
            props["last_bar_ticks"] = 0
        self.props = props
        self.old: dict[str, Any] = {}

    def do(self, project: Project) -> None:
        self.old = {key: copy.copy(getattr(project, key)) for key in self.props}
        for key, value in self.props.items():
            setattr(project, key, copy.copy(value))

    def undo(self, project: Project) -> None:
        for key, value in self.old.items():
            setattr(project, key, value)


def _validate_project_props(props: dict[str, Any]) -> None:
    if "key" in props:
        parse_key(props["key"])
    if "length_bars" in props and not 1 <= int(props["length_bars"]) <= 10000:
        raise ValueError("a project is 1 to 10000 bars long")
    if "last_bar_ticks" in props and int(props["last_bar_ticks"]) < 0:
        raise ValueError("the last bar's length is 0 (whole) or more ticks")
    if "time_signature" in props and not isinstance(props["time_signature"], TimeSignature):
        props["time_signature"] = TimeSignature.parse(str(props["time_signature"]))
    if "tempo_map" in props:
        tempo = sorted(props["tempo_map"], key=lambda c: c.tick)
        if not tempo or tempo[0].tick != 0:
            raise ValueError("a tempo map starts at tick 0")
        if any(not 10 <= c.bpm <= 999 for c in tempo):
            raise ValueError("tempo must be between 10 and 999 BPM")
        props["tempo_map"] = tempo


def set_tempo(bpm: float) -> SetProjectProps:
    """A single tempo for the whole project."""
    cmd = SetProjectProps(tempo_map=[TempoChange(0, float(bpm))])
    cmd.label = "Change tempo"
    return cmd


class Compound(Command):
    """Several commands as one undo step (e.g. an infill over several tracks)."""

    def __init__(self, label: str, commands: Sequence[Command]) -> None:
        self.label = label
        self.commands = list(commands)

    def do(self, project: Project) -> None:
        done: list[Command] = []
        try:
            for cmd in self.commands:
                cmd.do(project)
                done.append(cmd)
        except Exception:
            for cmd in reversed(done):
                cmd.undo(project)
            raise

    def undo(self, project: Project) -> None:
        for cmd in reversed(self.commands):
            cmd.undo(project)

    @property
    def changes(self) -> tuple[Change, ...]:
        return tuple(c for cmd in self.commands for c in cmd.changes)


Listener = Callable[[tuple[Change, ...]], None]


class UndoStack:
    """Runs commands and keeps them for undo/redo.

    ``clean`` is True while the project equals what was last marked saved.
    Listeners get the changes of every do, undo and redo.
    """

    def __init__(self, project: Project, *, limit: int = 1000) -> None:
        self.project = project
        self.limit = limit
        self._done: list[Command] = []
        self._undone: list[Command] = []
        self._clean_at: int | None = 0
        self._listeners: list[Listener] = []

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        """Stop calling ``listener`` (no error if it was not subscribed)."""
        if listener in self._listeners:
            self._listeners.remove(listener)

    def _notify(self, changes: tuple[Change, ...]) -> None:
        for listener in list(self._listeners):
            listener(changes)

    def push(self, command: Command) -> None:
        """Apply ``command``; on error the project is left as it was and the error raised."""
        command.do(self.project)
        self._done.append(command)
        self._undone.clear()
        if self._clean_at is not None and self._clean_at > len(self._done) - 1:
            self._clean_at = None
        if len(self._done) > self.limit:
            self._done.pop(0)
            self._clean_at = None if self._clean_at in (None, 0) else self._clean_at - 1
        self._notify(command.changes)

    def undo(self) -> bool:
        if not self._done:
            return False
        command = self._done.pop()
        command.undo(self.project)
        self._undone.append(command)
        self._notify(command.changes)
        return True

    def redo(self) -> bool:
        if not self._undone:
            return False
        command = self._undone.pop()
        command.do(self.project)
        self._done.append(command)
        self._notify(command.changes)
        return True

    @property
    def can_undo(self) -> bool:
        return bool(self._done)

    @property
    def can_redo(self) -> bool:
        return bool(self._undone)

    @property
    def top(self) -> Command | None:
        """The command the next undo takes back (the very object pushed), or None."""
        return self._done[-1] if self._done else None

    @property
    def undo_label(self) -> str | None:
        return self._done[-1].label if self._done else None

    @property
    def redo_label(self) -> str | None:
        return self._undone[-1].label if self._undone else None

    def mark_clean(self) -> None:
        self._clean_at = len(self._done)

    @property
    def clean(self) -> bool:
        return self._clean_at == len(self._done)

    def clear(self) -> None:
        self._done.clear()
        self._undone.clear()
        self._clean_at = 0
