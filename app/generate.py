"""Generate: controls + a prompt -> new parts in a project, as one undoable edit.

The controls are the project's curve lanes (melody, dynamics, rhythm), or a
``partita.controls/1`` file that replaces them. A prompt and the explicit
options (tempo, key) give the attributes. What changes, all in one
``Compound`` per variation:

- a project without notes takes the controls' beats as its tempo map and
  bar lines (a tempo per beat; the meter from the downbeats or the prompt),
  else the asked tempo and meter; its key and length follow too;
- a controls file's curves go into the curve lanes (a pitch-class-only
  melody placed in the melody's octave);
- tracks named in ``tracks`` (by name, or by role: melody, harmony, bass,
  drums) that do not exist are added, with the prompt's instruments;
- the chosen tracks' notes that start inside the bars give way to new ones.

A project that has notes keeps its tempo map and meter (its notes would
move otherwise); the request's ``notes`` say what was not applied.

Lifecycle of ``Generate``: build it (loads the composer once), call ``run``
as often as wanted; each call is reproducible from its seed.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from app.commands import AddNotes, Command, Compound, ReplaceNotes
from app.errors import PartitaError
from app.generate_setup import Setup, plan_setup
from app.infill import load_composer
from app.project import Note, Project
from engines.common import CancelToken, Progress, no_progress
from engines.common import Note as EngineNote
from engines.controls.curves import Controls
from engines.generate.config import GenerateConfig
from engines.generate.prompt import PromptReading, read_prompt


@dataclass(frozen=True)
class GenerateRequest:
    """What to generate.

    tracks: names or roles of the tracks to write (None: the prompt's parts,
    else melody, harmony, bass and drums). bars: "A-B" or "7" (None: all).
    seconds: the length of a project without notes (default: the controls'
    duration, else its own). prompt: plain words (see
    ``engines.generate.prompt``). tempo (BPM), key ("D:minor"), meter ("3/4"):
    beside the prompt, they win over it. controls: replace the project's
    curves (and, in a project without notes, its beats).
    """

    tracks: tuple[str, ...] | None = None
    bars: str | None = None
    seconds: float | None = None
    prompt: str = ""
    tempo: float | None = None
    key: str | None = None
    meter: str | None = None
    seed: int = 0
    temperature: float = 0.8
    variations: int = 1
    controls: Controls | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Outcome:
    """The commands (one per variation), what the prompt understood, and notes for the user."""

    commands: list[Compound]
    reading: PromptReading
    notes: tuple[str, ...] = ()


class Generate:
    """The composer loaded once; ``run`` turns a request on a project into commands."""

    def __init__(self, model_path: Path | None = None, *, device: str = "auto",
                 config: GenerateConfig | None = None) -> None:
        """``device``: "auto", "cpu" or "cuda" (``app.devices.resolve_device``)."""
        from app.devices import resolve_device
        from engines.compose.api import ComposeEngine
        from engines.generate.pipeline import Generator

        self.device = resolve_device(device)
        self.config = config or GenerateConfig()
        self.generator = Generator(ComposeEngine(load_composer(model_path), device=self.device), self.config)

    def run(self, project: Project, request: GenerateRequest, *, progress: Progress = no_progress,
            cancel: CancelToken | None = None) -> Outcome:
        """Commands for ``project`` (read only; a snapshot when off the GUI thread)."""
        reading = read_prompt(request.prompt)
        try:
            setup = plan_setup(project, request, reading, self.config)
        except ValueError as exc:  # a meter off the 16th grid, an impossible tempo...
            raise PartitaError(str(exc)) from None
        try:
            results = self.generator.generate(setup.task, seed=request.seed, variations=request.variations,
                                              temperature=request.temperature, progress=progress,
                                              cancel=cancel)
        except ValueError as exc:
            raise PartitaError(str(exc)) from None
        label = _label(setup)
        commands = [_command(setup, r.notes, label) for r in results]
        return Outcome(commands, reading, setup.notes)


_LOADED: dict[str, Generate] = {}
"""Composers loaded in this process, by device (a warm worker keeps them)."""


def generate_outcome(project: Project, request: GenerateRequest, *, device: str = "auto",
                     progress: Progress = no_progress, cancel: CancelToken | None = None) -> Outcome:
    """``Generate(device=device).run(project, request)`` with the composer loaded once per process
    (the window runs this in a worker process: ``app.workers.InWorker``)."""
    if device not in _LOADED:
        _LOADED[device] = Generate(device=device)
    return _LOADED[device].run(project, request, progress=progress, cancel=cancel)


def _label(setup: Setup) -> str:
    names = ", ".join(t.name for t in setup.written)
    return f"Generate {names}{setup.where}"


def _command(setup: Setup, notes: tuple[tuple[EngineNote, ...], ...], label: str) -> Compound:
    """Setup commands, then per written track its notes in the span replaced by ``notes``.

    Each variation gets its own copy of the setup (its new tracks are its own objects),
    so variations never share state.
    """
    after = setup.after
    t0, t1 = setup.span_ticks
    end = after.length_ticks
    commands: list[Command] = copy.deepcopy(setup.commands)
    for track, new in zip(setup.written, notes):
        made = [_ticks(after, n) for n in new]
        made = [_ending_by(n, end) for n in made if t0 <= n.start < min(t1, end)]
        if setup.is_new(track.id):
            commands.append(AddNotes(track.id, made))
            continue
        old = [n for n in track.notes if t0 <= n.start < t1]
        commands.append(ReplaceNotes(track.id, old, made, label=f"Generate {track.name}"))
    return Compound(label, commands)


def _ending_by(note: Note, end: int) -> Note:
    """``note`` cut to end by tick ``end`` (the project's end: a piece as long as its controls)."""
    return note if note.end <= end else replace(note, duration=max(1, end - note.start))


def _ticks(project: Project, note: EngineNote) -> Note:
    """An engine note (seconds) as a project note (ticks through ``project``'s tempo map)."""
    ticks = np.asarray(project.seconds_to_tick(np.array([note.start, note.end])), dtype=np.float64)
    a, b = (int(round(float(x))) for x in ticks)
    return Note(int(note.pitch), max(0, a), max(1, b - a), int(note.velocity))


def read_request_controls(path: str | None) -> Controls | None:
    """The controls file of ``--controls`` (None when not given)."""
    if path is None:
        return None
    from app.controls_io import read_controls

    return read_controls(path)
