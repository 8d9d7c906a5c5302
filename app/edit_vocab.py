"""What the instruction planner may use here: the catalogue's operations (typed parameters,
ranges, and whether the engine behind each is installed) and the project's tracks.

The planner (``engines.instruct``) never imports the app: this module turns the
catalogue and the project into its plain-data ``Vocabulary``.
"""
from __future__ import annotations

import importlib.util
from functools import lru_cache
from typing import TYPE_CHECKING

from app.project import MidiTrack, Project

if TYPE_CHECKING:
    from app.catalogue import Operation, Param
    from engines.instruct import OperationSpec, ParamSpec, SongInfo, Vocabulary

ENGINE_MODULES = {
    "generate": ("app.generate", "the generate engine is not part of this Partita yet"),
    "separate": ("app.separate", "stem separation is not part of this Partita yet"),
    "transcribe": ("app.transcribe", "transcription to MIDI is not part of this Partita yet"),
}
"""Engine operations that exist only when their app module is installed, and what to say otherwise."""


def song_info(project: Project) -> "SongInfo":
    """The project as the planner sees it."""
    from app.infill import project_bars
    from app.roles import GM_NAMES
    from engines.instruct import SongInfo, TrackInfo

    tracks = tuple(TrackInfo(t.name, str(t.role), t.kind, bool(getattr(t, "is_drum", False)),
                             int(getattr(t, "program", 0)), t.muted, t.solo,
                             len(t.notes) if isinstance(t, MidiTrack) else 0) for t in project.tracks)
    return SongInfo(tracks=tracks, bars=project_bars(project), tempo=project.tempo,
                    time_signature=str(project.time_signature), key=project.key, programs=GM_NAMES)


def vocabulary(project: Project) -> "Vocabulary":
    """Every operation the planner knows, as the catalogue describes it, and the project."""
    from engines.instruct import Vocabulary

    return Vocabulary(operation_specs(), song_info(project))


@lru_cache(maxsize=1)
def operation_specs() -> tuple["OperationSpec", ...]:
    """The planner's operations with the catalogue's parameters and what can run here."""
    from app.catalogue import operations
    from engines.instruct import OPERATIONS, OperationSpec

    catalogue = operations()
    specs = []
    for name in OPERATIONS:
        op = catalogue.get(name)
        missing = _unavailable(name, op)
        specs.append(OperationSpec(name, op.title if op else name.replace("_", " ").capitalize(),
                                   tuple(_param(p) for p in op.params) if op else (),
                                   available=not missing, unavailable_reason=missing,
                                   limits=_limits(name)))
    return tuple(specs)


def _unavailable(name: str, op: "Operation | None") -> str:
    """Why ``name`` cannot run here ("" when it can)."""
    from app.edit_steps import ENGINE_STEPS

    if name in ENGINE_MODULES:
        module, reason = ENGINE_MODULES[name]
        if importlib.util.find_spec(module) is None:
            return reason
    if op is None or (op.build is None and name not in ENGINE_STEPS):
        return f"{name.replace('_', ' ')} is not in the operation catalogue"
    return ""


def _limits(name: str) -> frozenset[str]:
    if name == "infill":
        return frozenset({"no_style"} | (set() if infill_writes_drums() else {"no_drums"}))
    return frozenset()


@lru_cache(maxsize=1)
def infill_writes_drums() -> bool:
    """Whether the installed composer accepts a drum track to write (asked, not assumed)."""
    from app.errors import PartitaError
    from app.infill import tracks_by_name

    probe = Project(tracks=[MidiTrack("Drums", is_drum=True)])
    try:
        tracks_by_name(probe, ["Drums"])
    except PartitaError:
        return False
    return True


def _param(param: "Param") -> "ParamSpec":
    from engines.instruct import ParamSpec

    low, high = param.range if param.range is not None else (None, None)
    return ParamSpec(param.name, param.type, param.default, low, high, tuple(param.choices or ()), param.help)
