"""What a generate request changes before any note is written: tempo map, meter, key, length,
curve lanes and new tracks (as commands), and the engine's task (see ``app.generate``)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from app.commands import AddTrack, Command, SetCurveSpan, SetProjectProps
from app.errors import InputError, PartitaError
from app.infill import grid_track, parse_bars, project_bars
from app.project import CURVE_NAMES, PPQ, MidiTrack, Project, Role, TempoChange, TimeSignature, format_key, parse_key
from engines.compose.grid import STEPS_PER_QUARTER
from engines.compose.keys import key_parts
from engines.generate.attributes import EMOTION_PROFILES, Attributes, Resolved, resolved
from engines.generate.config import GenerateConfig
from engines.generate.pipeline import placed_melody
from engines.generate.task import Curves, GenerateTask
from engines.generate.timing import BeatGrid, grid_from_beats, grid_from_tempo, meter_beats
from engines.generate.tonality import choose_key, curve_histogram

if TYPE_CHECKING:
    from app.generate import GenerateRequest
    from engines.generate.prompt import PromptReading

TICKS_PER_STEP = PPQ // STEPS_PER_QUARTER
TRACK_NAMES = {"melody": "Melody", "harmony": "Harmony", "bass": "Bass", "drums": "Drums",
               "counter": "Counter", "other": "Part"}


@dataclass
class Setup:
    """The setup commands, the project as it is after them, and the engine task.

    written: the tracks to write (in ``after``), in the task's write order.
    span_ticks: [start, end) of the bars to write. notes: sentences for the
    user (what was asked but not applied, and why).
    """

    commands: list[Command]
    after: Project
    written: list[MidiTrack]
    new_ids: set[str]
    span_ticks: tuple[int, int]
    where: str
    task: GenerateTask
    notes: tuple[str, ...] = ()

    def is_new(self, track_id: str) -> bool:
        return track_id in self.new_ids


@dataclass
class _Draft:
    project: Project
    commands: list[Command] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def push(self, command: Command) -> None:
        command.do(self.project)
        self.commands.append(command)


def asked_attributes(request: "GenerateRequest", reading: "PromptReading") -> Attributes:
    """The prompt's attributes, with --tempo, --key and --time-signature winning."""
    extra: dict[str, object] = {}
    if request.tempo is not None:
        extra["tempo"] = float(request.tempo)
    if request.key:
        try:
            parsed = parse_key(request.key)
        except ValueError as exc:
            raise PartitaError(str(exc)) from None
        if parsed:
            extra["tonic"], extra["mode"] = parsed
    if request.meter:
        try:
            sig = TimeSignature.parse(request.meter)
        except ValueError as exc:
            raise PartitaError(str(exc)) from None
        extra["meter"] = (sig.numerator, sig.denominator)
    return reading.attributes.merged(Attributes(**extra))  # type: ignore[arg-type]


def plan_setup(project: Project, request: "GenerateRequest", reading: "PromptReading",
               config: GenerateConfig) -> Setup:
    """The setup of ``request`` on ``project`` (which is not changed)."""
    draft = _Draft(project.snapshot())
    attrs = asked_attributes(request, reading)
    has_notes = any(t.notes for t in project.midi_tracks())
    if has_notes:
        grid = _project_grid(draft, attrs)
        _length_note(draft, request)
    else:
        grid = _new_timing(draft, request, attrs)
    key = _key(draft, request, attrs)
    res = resolved(attrs, default_tonic=key % 12)
    res = _with_grid(res, grid)
    if request.controls is not None:
        _controls_into_lanes(draft, request, res, config)
    written, new_ids = _tracks(draft, request, res, config)
    grid = grid.extended(draft.project.duration)
    span, where = _span(draft.project, request.bars, grid)
    midi = draft.project.midi_tracks()
    curves = Curves(melody=draft.project.curve("melody"), dynamics=draft.project.curve("dynamics"),
                    rhythm=draft.project.curve("rhythm"))
    task = GenerateTask(grid=grid, tracks=tuple(grid_track(t) for t in midi),
                        write=tuple(midi.index(t) for t in written), start=span[0] // TICKS_PER_STEP,
                        stop=span[1] // TICKS_PER_STEP, key=key, attributes=res, curves=curves,
                        gains_db=tuple(t.gain_db for t in midi))
    return Setup(draft.commands, draft.project, written, new_ids, span, where, task, tuple(draft.notes))


# -- timing ------------------------------------------------------------------------------------------------
def _project_grid(draft: _Draft, attrs: Attributes) -> BeatGrid:
    """The project's own beats; a tempo or meter asked for is noted as not applied."""
    p = draft.project
    sig = p.time_signature
    if attrs.tempo and abs(attrs.tempo - p.tempo) > 0.5:
        draft.notes.append(f"kept the project's tempo ({p.tempo:g} BPM): it has notes")
    if attrs.meter and attrs.meter != (sig.numerator, sig.denominator):
        draft.notes.append(f"kept the project's meter ({sig}): it has notes")
    return project_grid(p)


def _length_note(draft: _Draft, request: "GenerateRequest") -> None:
    if request.seconds is not None:
        draft.notes.append(f"kept the project's length ({draft.project.duration:.1f} s): it has notes")


def project_grid(project: Project) -> BeatGrid:
    """A project's beats through its tempo map, over every bar (``project_bars``)."""
    sig = project.time_signature
    bpb, spb = meter_beats(sig.numerator, sig.denominator)
    n = project_bars(project) * bpb
    times = np.asarray(project.tick_to_seconds(np.arange(n + 1) * spb * TICKS_PER_STEP), dtype=np.float64)
    return BeatGrid(times.reshape(-1), sig.numerator, sig.denominator)


def _new_timing(draft: _Draft, request: "GenerateRequest", attrs: Attributes) -> BeatGrid:
    """Tempo map, meter and length of a project without notes: from the controls' beats, else
    the tempo and meter asked for (an emotion implies a tempo, unless curves are drawn: their
    bars would move), else the project's own."""
    p, controls = draft.project, request.controls
    seconds = request.seconds or (controls.duration if controls is not None else None)
    sig = p.time_signature
    meter = attrs.meter or (sig.numerator, sig.denominator)
    grid = None
    if controls is not None and controls.beats is not None:
        grid = grid_from_beats(controls.beats, controls.downbeats, seconds or controls.duration,
                               meter=attrs.meter)
        if grid is not None and attrs.tempo:
            draft.notes.append("the tempo follows the controls' beats; the tempo asked for was not applied")
    if grid is None:
        profile = EMOTION_PROFILES.get(attrs.emotion or "")
        drawn = any(np.isfinite(p.curve(name)).any() for name in CURVE_NAMES)
        tempo = attrs.tempo or (profile.tempo if profile and not drawn else None)
        if tempo is None and meter == (sig.numerator, sig.denominator) and seconds is None:
            return project_grid(p)
        tempo = tempo or p.tempo
        seconds = seconds or p.length_bars * meter[0] * 4 / meter[1] * 60.0 / tempo
        try:
            grid = grid_from_tempo(tempo, *meter, seconds)
        except ValueError as exc:
            raise PartitaError(str(exc)) from None
    draft.push(SetProjectProps(tempo_map=tempo_map(grid), time_signature=f"{grid.numerator}/{grid.denominator}",
                               length_bars=grid.n_bars))
    if seconds is not None:
        _end_at(draft, seconds)
    return grid


def _end_at(draft: _Draft, seconds: float) -> None:
    """The project ends at ``seconds`` (the controls' duration, or --seconds): whole bars up to
    the bar holding it, that last bar shortened to end there (render and export stop there)."""
    p = draft.project
    end = max(1, int(round(float(p.seconds_to_tick(seconds)))))
    per_bar = p.ticks_per_bar
    bars = -(-end // per_bar)
    last = end - (bars - 1) * per_bar
    draft.push(SetProjectProps(length_bars=bars, last_bar_ticks=0 if last >= per_bar else last))


def tempo_map(grid: BeatGrid) -> list[TempoChange]:
    """One tempo per beat of the grid (a run of equal tempos is one change)."""
    ticks_per_beat = grid.steps_per_beat * TICKS_PER_STEP
    out: list[TempoChange] = []
    for k, bpm in enumerate(np.clip(grid.bpm(), 10.0, 999.0)):
        if not out or abs(out[-1].bpm - bpm) > 1e-3:
            out.append(TempoChange(k * ticks_per_beat, float(round(bpm, 4))))
    return out


def _with_grid(res: Resolved, grid: BeatGrid) -> Resolved:
    from dataclasses import replace

    from engines.generate.attributes import fit_style

    meter = (grid.numerator, grid.denominator)
    return replace(res, meter=meter, tempo=float(np.median(grid.bpm())), drum_style=fit_style(res.drum_style, meter))


def _key(draft: _Draft, request: "GenerateRequest", attrs: Attributes) -> int:
    """The key index to write in; a project without a key takes it."""
    p = draft.project
    parsed = parse_key(p.key) if p.key else None
    has_notes = any(t.notes for t in p.midi_tracks())
    if parsed and (has_notes or attrs.tonic is None):
        return choose_key(np.zeros(12), tonic=parsed[0], mode=parsed[1])
    hist = np.zeros(12)
    for track in p.midi_tracks():
        for n in track.notes if not track.is_drum else ():
            hist[n.pitch % 12] += n.duration
    if request.controls is not None:
        hist += curve_histogram(request.controls.pitch_classes())
    hist += curve_histogram(p.curve("melody"))
    key = choose_key(hist, tonic=attrs.tonic, mode=attrs.mode)
    name = format_key(*key_parts(key))
    if p.key != name and not (parsed and has_notes):
        draft.push(SetProjectProps(key=name))
    return key


# -- curves and tracks -------------------------------------------------------------------------------------
def _controls_into_lanes(draft: _Draft, request: "GenerateRequest", res: Resolved, config: GenerateConfig) -> None:
    """The controls file's curves replace the curve lanes (melody placed in the melody's octave)."""
    controls = request.controls
    assert controls is not None
    n = draft.project.n_frames
    melody = placed_melody(controls.melody, controls.melody_chroma, res.register, config)
    values = {"melody": melody, "dynamics": controls.dynamics, "rhythm": controls.rhythm}
    for name in CURVE_NAMES:
        lane = np.full(max(n, len(values[name])), np.nan, dtype=np.float32)
        lane[: len(values[name])] = values[name]
        draft.push(SetCurveSpan(name, 0, lane, label="Generate"))


def _tracks(draft: _Draft, request: "GenerateRequest", res: Resolved,
            config: GenerateConfig) -> tuple[list[MidiTrack], set[str]]:
    """The tracks to write, in order; tracks named by a role that is missing are added."""
    p = draft.project
    wanted = request.tracks or res.roles
    out: list[MidiTrack] = []
    new: set[str] = set()
    for word in (w.strip() for w in wanted if w.strip()):
        track = _existing(p, word)
        if track is None:
            role = word.lower()
            if role not in TRACK_NAMES:
                have = ", ".join(t.name for t in p.tracks) or "none"
                raise InputError(f"no track named {word!r} (tracks: {have}; or a role: "
                                 f"{', '.join(TRACK_NAMES)})")
            track = _new_track(p, role, res, config)
            draft.push(AddTrack(track))
            new.add(track.id)
        if track not in out:
            out.append(track)
    if not out:
        raise PartitaError("choose at least one track to generate")
    return out, new


def _existing(project: Project, word: str) -> MidiTrack | None:
    """The track with this id or name (case-insensitive), else the first MIDI track of this role."""
    for track in project.tracks:
        if track.id == word or track.name.lower() == word.lower():
            if not isinstance(track, MidiTrack):
                raise InputError(f"track {track.name!r} holds audio; generate writes MIDI tracks")
            return track
    for track in project.midi_tracks():
        if str(track.role) == word.lower() and (track.is_drum == (word.lower() == "drums")):
            return track
    return None


def _new_track(project: Project, role: str, res: Resolved, config: GenerateConfig) -> MidiTrack:
    drums = role == "drums"
    return MidiTrack(project.unique_name(TRACK_NAMES[role]), role=Role(role),
                     program=0 if drums else res.programs.get(role, res.programs["harmony"]),
                     is_drum=drums, gain_db=config.track_gain_db.get(role, 0.0))


def _span(project: Project, bars: str | None, grid: BeatGrid) -> tuple[tuple[int, int], str]:
    chosen = parse_bars(bars, project)
    a, b = chosen or (1, project_bars(project))
    b = min(b, grid.n_bars)
    per_bar = project.ticks_per_bar
    return ((a - 1) * per_bar, b * per_bar), (f" bars {a}-{b}" if chosen else "")
