"""What the planner may use, as plain data: the operations that exist and the song.

The app builds a ``Vocabulary`` from its operation catalogue and the open
project (``app.edit_vocab``); the planner never imports the app. Track
references in a plan are track names, as the song lists them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ParamSpec:
    """A parameter of an operation: ``kind`` is "int", "float", "str", "bool", "choice",
    "track", "tracks" or "bars"; ``minimum``/``maximum`` bound numbers (inclusive);
    ``choices`` lists the allowed values of a "choice"."""

    name: str
    kind: str
    default: Any = None
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    help: str = ""


@dataclass(frozen=True)
class OperationSpec:
    """One operation the planner may put in a plan.

    ``available`` is False when the engine it needs is not installed here;
    ``unavailable_reason`` then says why, in words for the user.
    ``limits`` are capability flags the app sets: "no_drums" (cannot write
    drum tracks), "no_style" (takes no style words).
    """

    name: str
    title: str
    params: tuple[ParamSpec, ...] = ()
    available: bool = True
    unavailable_reason: str = ""
    limits: frozenset[str] = frozenset()

    def param(self, name: str) -> ParamSpec | None:
        return next((p for p in self.params if p.name == name), None)


@dataclass(frozen=True)
class TrackInfo:
    """A track as the planner sees it. ``kind`` is "midi" or "audio"; ``program`` GM 0-127."""

    name: str
    role: str
    kind: str = "midi"
    is_drum: bool = False
    program: int = 0
    muted: bool = False
    solo: bool = False
    notes: int = 0

    @property
    def pitched(self) -> bool:
        """A MIDI track of pitched notes (not drums, not audio)."""
        return self.kind == "midi" and not self.is_drum


@dataclass(frozen=True)
class SongInfo:
    """The open project: tracks in order, length in bars, tempo (BPM at the start),
    time signature ("4/4") and key ("A:minor", or None when the project has none)."""

    tracks: tuple[TrackInfo, ...] = ()
    bars: int = 8
    tempo: float = 120.0
    time_signature: str = "4/4"
    key: str | None = None
    programs: tuple[str, ...] = ()
    """The 128 General MIDI program names (to describe instruments); empty = numbers."""

    def track(self, name: str) -> TrackInfo:
        for t in self.tracks:
            if t.name.lower() == name.lower():
                return t
        raise KeyError(name)

    def unique_name(self, base: str, taken: tuple[str, ...] = ()) -> str:
        """``base``, or "base 2", "base 3"... not used by a track (nor in ``taken``)."""
        names = {t.name.lower() for t in self.tracks} | {n.lower() for n in taken}
        if base.lower() not in names:
            return base
        i = 2
        while f"{base} {i}".lower() in names:
            i += 1
        return f"{base} {i}"


@dataclass(frozen=True)
class Vocabulary:
    operations: tuple[OperationSpec, ...]
    song: SongInfo = field(default_factory=SongInfo)

    def op(self, name: str) -> OperationSpec | None:
        return next((o for o in self.operations if o.name == name), None)
