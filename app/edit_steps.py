"""One plan step -> one command, on the working copy of a project (see ``app.edit``).

Plain edits run through their catalogue entry (``Operation.command``) with the step's
track names turned into ids. Engine steps have a runner here each: they read the
working copy, call the engine with progress and cancel, and return the command that
puts the result in (tracks by id), never changing the project themselves.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

import numpy as np

from app.commands import Command, Compound, SetProjectProps
from app.errors import PartitaError
from app.project import Project, format_key
from engines.common import CancelToken, Progress

if TYPE_CHECKING:
    from app.edit import EditSettings
    from engines.instruct import Step

EngineStep = Callable[[Project, dict[str, Any], "EditSettings", Progress, "CancelToken | None"], Command]


def track_id(project: Project, name: str) -> str:
    """The id of the track called ``name`` in the working copy (a plan names tracks)."""
    try:
        return project.track_named(name).id
    except KeyError:
        raise PartitaError(f"no track named {name!r} any more") from None


def run_step(project: Project, step: "Step", *, settings: "EditSettings", progress: Progress,
             cancel: CancelToken | None) -> Command:
    """The command for ``step`` on ``project`` (only read)."""
    runner = ENGINE_STEPS.get(step.op)
    if runner is not None:
        return runner(project, dict(step.args), settings, progress, cancel)
    from app.catalogue import get

    op = get(step.op)
    values = {name: _value(project, op.param(name).type, value) for name, value in step.args.items()}
    command = op.command(project, values)
    if step.op == "change_key" and project.key is None and step.args.get("transpose_notes"):
        return _from_estimated_key(project, values)
    return command


def _value(project: Project, kind: str, value: Any) -> Any:
    if kind == "track":
        return track_id(project, value)
    if kind == "tracks":
        return tuple(track_id(project, name) for name in value)
    return value


def _from_estimated_key(project: Project, values: dict[str, Any]) -> Command:
    """A key change on a song without a key: its estimated key first, so the notes move."""
    from app.catalogue import get
    from app.edit_notes import song_key

    estimated = SetProjectProps(key=format_key(*song_key(project)))
    estimated.do(project)
    try:
        moved = get("change_key").command(project, values)
    finally:
        estimated.undo(project)
    return Compound(moved.label, [estimated, moved])


def is_engine_step(op: str) -> bool:
    return op in ENGINE_STEPS


def infill_step(project: Project, args: dict[str, Any], settings: "EditSettings", progress: Progress,
                cancel: CancelToken | None) -> Command:
    """The composer writes ``tracks`` over ``bars`` (one variation, from ``settings.seed``).

    A new, empty part is written against the rest of the band without the tracks of its
    own role: asked for "a bass line" in a song that has one, the composer would
    otherwise leave the second bass silent, as a band rarely doubles a part.
    """
    from app.infill import InfillRequest

    ids = tuple(track_id(project, n) for n in args["tracks"])
    request = InfillRequest(track_ids=ids, bars=args["bars"], seed=settings.seed)
    view = _without_doubled_roles(project, ids)
    [command] = _infiller(settings.device).run(view, request, progress=progress, cancel=cancel)
    return command


def _without_doubled_roles(project: Project, written: tuple[str, ...]) -> Project:
    """``project`` as the composer should hear it when ``written`` holds empty new parts."""
    from app.project import MidiTrack

    fresh = [project.track(i) for i in written]
    roles = {t.role for t in fresh if isinstance(t, MidiTrack) and not t.notes}
    if not roles:
        return project
    view = project.snapshot()
    view.tracks = [t for t in view.tracks if t.id in written or t.role not in roles]
    return view


_INFILLERS: dict[str, Any] = {}


def _infiller(device: str) -> Any:
    """The composer loaded once per device and process."""
    from app.infill import Infiller

    if device not in _INFILLERS:
        _INFILLERS[device] = Infiller(device=device)
    return _INFILLERS[device]


def copy_controls_step(project: Project, args: dict[str, Any], settings: "EditSettings", progress: Progress,
                       cancel: CancelToken | None) -> Command:
    """The chosen curves of a track or a file into the curve lanes (the others stay)."""
    from pathlib import Path

    from app.controls_project import controls_command, file_controls, project_controls

    if args.get("file"):
        controls = file_controls(args["file"], progress=progress, cancel=cancel)
        source = Path(args["file"]).name
    else:
        controls = project_controls(project, track_ids=[track_id(project, args["track"])], progress=progress,
                                    cancel=cancel)
        source = args["track"]
    return controls_command(project, controls, lanes=tuple(args["curves"]),
                            label=f"Copy {', '.join(args['curves'])} of {source}")


def separate_step(project: Project, args: dict[str, Any], settings: "EditSettings", progress: Progress,
                  cancel: CancelToken | None) -> Command:
    """The chosen ``stems`` of an audio track as tracks named ``names`` (grouped under it, as
    Separate does), the source muted when ``mute_source``, the stems when ``mute_stems``."""
    from app.commands import AddTrack
    from app.project import AudioTrack
    from app.separate import load_separator, separate_audio, stems_command
    from engines.separate import Stems

    source = project.track(track_id(project, args["track"]))
    if not isinstance(source, AudioTrack):
        raise PartitaError(f"{source.name} holds notes, not audio; separate an audio track")
    separator, _ = load_separator("auto", device=settings.device)
    stems = separate_audio(separator, source.samples, project.sample_rate, progress=progress, cancel=cancel)
    chosen = tuple(args["stems"])
    picked = Stems(np.stack([stems.stem(s) for s in chosen]), stems.sample_rate, stems.method, sources=chosen)
    command = stems_command(project, source.id, picked, mute_source=bool(args["mute_source"]) and not source.muted)
    assert isinstance(command, Compound)
    for add in (c for c in command.commands if isinstance(c, AddTrack)):
        stem = chosen[[f"{source.name} {s}" for s in chosen].index(add.track.name)]
        add.track.name, add.track.muted = args["names"][stem], bool(args.get("mute_stems"))
    return command


def generate_step(project: Project, args: dict[str, Any], settings: "EditSettings", progress: Progress,
                  cancel: CancelToken | None) -> Command:
    """Controlled generation writes ``tracks`` over ``bars`` following the project's curves and the
    plan's style words (one variation, from ``settings.seed``)."""
    from app.generate import GenerateRequest

    bars = args.get("bars")
    request = GenerateRequest(tracks=tuple(args["tracks"]), bars=None if bars is None else f"{bars[0]}-{bars[1]}",
                              prompt=args.get("prompt", ""), seed=settings.seed)
    view = _without_doubled_roles(project, tuple(track_id(project, n) for n in args["tracks"]))
    outcome = _generator(settings.device).run(view, request, progress=progress, cancel=cancel)
    return outcome.commands[0]


_GENERATORS: dict[str, Any] = {}


def _generator(device: str) -> Any:
    """The generator loaded once per device and process."""
    from app.generate import Generate

    if device not in _GENERATORS:
        _GENERATORS[device] = Generate(device=device)
    return _GENERATORS[device]


def transcribe_step(project: Project, args: dict[str, Any], settings: "EditSettings", progress: Progress,
                    cancel: CancelToken | None) -> Command:
    """An audio track's notes as a new MIDI track beside it (as Transcribe to MIDI does), named
    ``name``; ``kind`` "auto" is chosen from the track's name or the audio, else ``role`` is the new
    track's role."""
    from app.commands import AddTrack
    from app.project import Role
    from app.transcribe import transcribe_track_command

    kind = args.get("kind") or "auto"
    command = transcribe_track_command(project, track_id(project, args["track"]),
                                       kind=None if kind == "auto" else kind, device=settings.device,
                                       progress=progress, cancel=cancel)
    assert isinstance(command, Compound)
    for add in (c for c in command.commands if isinstance(c, AddTrack)):
        add.track.name = args.get("name") or add.track.name
        if kind != "auto" and args.get("role"):
            add.track.role = Role(args["role"])
    return command


ENGINE_STEPS: dict[str, EngineStep] = {
    "infill": infill_step,
    "generate": generate_step,
    "copy_controls": copy_controls_step,
    "separate": separate_step,
    "transcribe": transcribe_step,
}
"""Steps that run an engine (progress, cancel); every other step is a catalogue plain edit."""
