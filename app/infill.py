"""Infill: rewrite chosen tracks over a bar range with the composer, as one undoable edit.

The project is seen on a 16th grid (120 ticks a step at 480 PPQ): every MIDI
track becomes a ``GridTrack`` (drum tracks by drum family), the bar range
becomes a span of steps, and the engine writes the chosen tracks there. Each result is one ``Compound`` of ``ReplaceNotes``: the chosen
tracks' notes that start inside the range (less the ones to keep) give way
to the new notes. Tracks not chosen, and notes starting outside the range,
are never touched. The model only reads quantised copies of the notes.

Lifecycle of ``Infiller``: build it (loads the model once), then call
``run`` as often as wanted; each call is independent and reproducible from
its seed.
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from app.commands import Compound, ReplaceNotes
from app.errors import InputError, PartitaError
from app.project import PPQ, MidiTrack, Note, Project, parse_key
from engines.common import CancelToken, Progress, no_progress
from engines.compose.grid import STEPS_PER_QUARTER, GridNote, GridTrack, steps_from_ticks

if TYPE_CHECKING:
    from engines.compose.api import InfillTask
    from engines.compose.model import Composer

TICKS_PER_STEP = PPQ // STEPS_PER_QUARTER
DEFAULT_VELOCITY = 90


@dataclass(frozen=True)
class InfillRequest:
    """What to infill. ``track_ids``: tracks to write. ``bars``: (first, last), 1-based and
    inclusive, or None for the whole project. ``keep``: notes (by track id) inside the
    range that must stay. ``scale_lock``: only notes of the project's key (estimated
    when the project has none). ``voices``: lanes per written track (None = as many as
    it has, 3 for an empty harmony track)."""

    track_ids: tuple[str, ...]
    bars: tuple[int, int] | None = None
    seed: int = 0
    temperature: float = 0.8
    variations: int = 1
    steps: int | None = None
    scale_lock: bool = False
    voices: int | None = None
    keep: dict[str, tuple[Note, ...]] = field(default_factory=dict)


def parse_bars(text: str | None, project: Project) -> tuple[int, int] | None:
    """"5-12" or "7" -> (5, 12) / (7, 7); None -> None. PartitaError when malformed."""
    if text is None:
        return None
    first, _, last = text.strip().partition("-")
    try:
        a, b = int(first), int(last or first)
    except ValueError:
        raise PartitaError(f"--bars {text!r} is not like 5-12 or 7") from None
    if not 1 <= a <= b:
        raise PartitaError(f"--bars {text!r}: bars count from 1 and the first comes first")
    if a > project_bars(project):
        raise PartitaError(f"--bars {text!r} starts after the project's last bar ({project_bars(project)})")
    return a, b


def project_bars(project: Project) -> int:
    """Bars covering the project's length and every note."""
    end = max([project.length_ticks] + [t.end_tick() for t in project.midi_tracks()])
    return max(1, -(-end // project.ticks_per_bar))


def tracks_by_name(project: Project, names: list[str]) -> tuple[str, ...]:
    """Track ids for names (case-insensitive); InputError naming the tracks there are."""
    ids = []
    for name in names:
        try:
            track = project.track_named(name.strip())
        except KeyError:
            have = ", ".join(t.name for t in project.tracks) or "none"
            raise InputError(f"no track named {name.strip()!r} (tracks: {have})") from None
        if not isinstance(track, MidiTrack):
            raise InputError(f"track {track.name!r} holds audio; infill writes MIDI tracks")
        ids.append(track.id)
    return tuple(dict.fromkeys(ids))


def grid_note(note: Note) -> GridNote:
    start = steps_from_ticks(note.start, PPQ)
    end = max(start + 1, steps_from_ticks(note.end, PPQ))
    return GridNote(note.pitch, start, end - start, note.velocity)


def grid_track(track: MidiTrack) -> GridTrack:
    return GridTrack(track.name, str(track.role), track.program, track.is_drum,
                     tuple(grid_note(n) for n in track.notes))


def project_key(project: Project) -> int:
    """The project's key as 0-23, else estimated from its notes, else -1."""
    from engines.compose.keys import find_key, key_index

    parsed = parse_key(project.key) if project.key else None
    if parsed:
        return key_index(*parsed)
    hist = np.zeros(12)
    for track in project.midi_tracks():
        for n in track.notes if not track.is_drum else ():
            hist[n.pitch % 12] += n.duration
    return find_key(hist)


def _span_ticks(project: Project, bars: tuple[int, int] | None) -> tuple[int, int]:
    a, b = bars or (1, project_bars(project))
    return (a - 1) * project.ticks_per_bar, b * project.ticks_per_bar


def build_task(project: Project, req: InfillRequest) -> InfillTask:
    """The engine's ``InfillTask`` for a request on a project."""
    from engines.compose.api import InfillTask

    if project.ticks_per_bar % TICKS_PER_STEP:
        raise PartitaError(f"time signature {project.time_signature} does not fit a 16th-note grid")
    tracks = project.midi_tracks()
    index = {t.id: i for i, t in enumerate(tracks)}
    write = tuple(index[i] for i in req.track_ids)
    t0, t1 = _span_ticks(project, req.bars)
    n_steps = max(t1, max(t.end_tick() for t in tracks)) // TICKS_PER_STEP + 1
    return InfillTask(
        tracks=tuple(grid_track(t) for t in tracks), write=write, start=t0 // TICKS_PER_STEP,
        stop=t1 // TICKS_PER_STEP, n_steps=n_steps,
        steps_per_bar=project.ticks_per_bar // TICKS_PER_STEP, key=project_key(project),
        scale_lock=req.scale_lock, voices={i: req.voices for i in write if req.voices},
        ranges={i: r for i in write if not tracks[i].is_drum and (r := _range(tracks[i])) is not None},
        keep={index[k]: tuple(grid_note(n) for n in v) for k, v in req.keep.items() if k in index})


def _range(track: MidiTrack) -> tuple[int, int] | None:
    """A written track's pitch range: its own notes' range widened a little, when it has some."""
    pitches = [n.pitch for n in track.notes]
    if len(pitches) < 4:
        return None
    return max(0, min(pitches) - 4), min(127, max(pitches) + 4)


def result_command(project: Project, req: InfillRequest, notes: tuple[tuple[GridNote, ...], ...],
                   label: str) -> Compound:
    """One undoable edit: per written track, the notes starting in the range give way to ``notes``."""
    t0, t1 = _span_ticks(project, req.bars)
    commands = []
    for track_id, new in zip(req.track_ids, notes):
        track = project.track(track_id)
        assert isinstance(track, MidiTrack)
        kept = set(req.keep.get(track_id, ()))
        old = [n for n in track.notes if t0 <= n.start < t1 and n not in kept]
        made = [Note(n.pitch, n.start * TICKS_PER_STEP, n.duration * TICKS_PER_STEP, velocity(track, n.pitch))
                for n in new]
        commands.append(ReplaceNotes(track_id, old, made, label=f"Infill {track.name}"))
    return Compound(label, commands)


def velocity(track: MidiTrack, pitch: int) -> int:
    """Velocity of a new note: the median of the track's notes (of the same drum note on a drum
    track, when it has some), else ``DEFAULT_VELOCITY``."""
    same = [n.velocity for n in track.notes if n.pitch == pitch] if track.is_drum else []
    pool = same or [n.velocity for n in track.notes]
    return int(statistics.median(pool)) if pool else DEFAULT_VELOCITY


class Infiller:
    """The composer loaded once; ``run`` turns a request into one command per variation."""

    def __init__(self, model_path: Path | None = None, *, device: str = "auto") -> None:
        """``device``: "auto", "cpu" or "cuda" (``app.devices.resolve_device``)."""
        from app.devices import resolve_device
        from engines.compose.api import ComposeEngine

        self.device = resolve_device(device)
        self.engine = ComposeEngine(load_composer(model_path), device=self.device)

    def run(self, project: Project, req: InfillRequest, *, progress: Progress = no_progress,
            cancel: CancelToken | None = None) -> list[Compound]:
        if not req.track_ids:
            raise PartitaError("choose at least one track to infill")
        task = build_task(project, req)
        try:
            results = self.engine.infill(task, seed=req.seed, variations=req.variations,
                                         temperature=req.temperature, steps=req.steps,
                                         progress=progress, cancel=cancel)
        except ValueError as exc:
            raise PartitaError(str(exc)) from None
        names = ", ".join(project.track(i).name for i in req.track_ids)
        where = f" bars {req.bars[0]}-{req.bars[1]}" if req.bars else ""
        return [result_command(project, req, r.notes, f"Infill {names}{where}") for r in results]


def load_composer(path: Path | None = None) -> Composer:
    """The composer network from ``path`` (a .safetensors) or the model store."""
    from app import models
    from engines.compose.weights import WeightsError, from_tensors

    path = Path(path) if path else models.resolve("composer")
    if not path.is_file():
        raise InputError(f"{path}: no such model file")
    tensors, meta = models.load_safetensors(path)
    try:
        return from_tensors(tensors, meta)
    except WeightsError as exc:
        raise models.ModelFileError(f"{path.name}: {exc}") from None


_loaded: dict[tuple[str, int, int, str], Infiller] = {}
"""Infillers this process has loaded, by (weights file, size, mtime, device): a warm worker
loads the composer once, and again only when the file in use changes (an import, a retrain)."""


def infill_work(*, project: Project, request: InfillRequest, device: str = "auto",
                progress: Progress = no_progress, cancel: CancelToken | None = None) -> list[Compound]:
    """A job's work (``app.workers.InWorker("app.infill:infill_work", ...)``): one command per variation.

    ``project`` is a snapshot; the commands refer to its tracks by id.
    """
    return loaded_infiller(device).run(project, request, progress=progress, cancel=cancel)


def loaded_infiller(device: str = "auto") -> Infiller:
    """This process's ``Infiller`` for the composer in use on ``device`` (loaded once per file)."""
    from app import models

    path = models.resolve("composer")
    stat = path.stat()
    key = (str(path), stat.st_size, stat.st_mtime_ns, device)
    if key not in _loaded:
        _loaded.clear()
        _loaded[key] = Infiller(path, device=device)
    return _loaded[key]


def warm_up(*, device: str = "auto", progress: Progress = no_progress, cancel: CancelToken | None = None) -> str:
    """A worker's warm-up (``WorkerPool.prewarm``): import torch and load the composer; returns the device."""
    return loaded_infiller(device).device
