"""The planner's running state: the song as the steps so far leave it.

"Extract the vocals and transcribe them" needs the second clause to see the
track the first one makes; "remove the drums and add a shuffle" must not
find the old drums. ``song_after`` plays a step onto a ``SongInfo``.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from engines.instruct.vocabulary import SongInfo, TrackInfo

if TYPE_CHECKING:
    from engines.instruct.plan import Step


@dataclass
class State:
    """What the planner knows while it works through an instruction's clauses.

    ``last``: the tracks the previous clause was about ("it", "them").
    ``notes``: things said but not acted on, shown with the plan.
    """

    song: SongInfo
    last: tuple[str, ...] = ()
    steps: list["Step"] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, steps: list["Step"]) -> None:
        for step in steps:
            self.steps.append(step)
            self.song = song_after(self.song, step)

    def fork(self) -> "State":
        return State(self.song, self.last, list(self.steps), list(self.notes))


def _set(song: SongInfo, name: str, **changes: object) -> SongInfo:
    tracks = tuple(replace(t, **changes) if t.name == name else t for t in song.tracks)  # type: ignore[arg-type]
    return replace(song, tracks=tracks)


def _new_tracks(step: "Step") -> tuple[TrackInfo, ...]:
    a = step.args
    if step.op == "add_track":
        return (TrackInfo(a["name"], a["role"], "midi", bool(a["drums"]), int(a["program"])),)
    if step.op == "separate":
        return tuple(TrackInfo(a["names"][s], "drums" if s == "drums" else "bass" if s == "bass"
                               else "melody" if s == "vocals" else "other", "audio", muted=bool(a.get("mute_stems")))
                     for s in a["stems"])
    if step.op == "transcribe":
        return (TrackInfo(a["name"], a.get("role", "other"), "midi", a["kind"] == "drums"),)
    return ()


def song_after(song: SongInfo, step: "Step") -> SongInfo:
    """The song once ``step`` has run (as far as the planner needs to know)."""
    a = step.args
    new = _new_tracks(step)
    if new:
        song = replace(song, tracks=song.tracks + new)
    if step.op == "separate" and a.get("mute_source"):
        song = _set(song, a["track"], muted=True)
    if step.op == "remove_track":
        song = replace(song, tracks=tuple(t for t in song.tracks if t.name != a["track"]))
    elif step.op == "mute":
        song = _set(song, a["track"], muted=bool(a["muted"]))
    elif step.op == "solo":
        song = _set(song, a["track"], solo=bool(a["solo"]))
    elif step.op == "set_instrument":
        song = _set(song, a["track"], program=int(a["program"]))
    elif step.op == "set_length":
        song = replace(song, bars=int(a["bars"]))
    elif step.op == "change_tempo":
        song = replace(song, tempo=float(a["bpm"]))
    elif step.op == "change_meter":
        song = replace(song, time_signature=str(a["time_signature"]))
    elif step.op == "change_key":
        song = replace(song, key=str(a["key"]))
    elif step.op == "set_mode" and song.key and a.get("bars") is None:
        song = replace(song, key=song.key.split(":")[0] + ":" + str(a["mode"]))
    return song
