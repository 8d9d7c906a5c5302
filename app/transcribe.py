"""Transcription in the app: a stem becomes a new MIDI track beside it, as one undoable edit.

``transcribe_track_command`` reads one audio track of a project snapshot and
returns a ``Compound`` that adds a MIDI track right after it, holding the
notes, with an instrument and role that follow the kind (and the stem's name:
"Vocals" get a voice, "Piano" a piano). Notes keep the timing they were played
with unless ``grid`` asks for snapping. ``transcribe_work`` is the same as a
job's work for a worker process (``app.workers.InWorker``); ``transcribe_file``
serves ``partita transcribe``.

The engine is loaded once per process (``transcriber``): basic-pitch's
network and the drum classifier from the model store, keyed by their files and
the device, so a second transcription in a warm worker starts at once.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from app.commands import AddTrack, Compound
from app.errors import PartitaError
from app.project import AudioTrack, MidiTrack, Note, Project, Role, TempoChange
from app.roles import GM_NAMES
from engines.common import CancelToken, Progress, no_progress

if TYPE_CHECKING:
    from engines.transcribe import Transcriber, Transcription

NETWORK_MODEL = "basic-pitch"
DRUM_MODEL = "drum-classifier"
KIND_ROLES = {"melody": Role.MELODY, "bass": Role.BASS, "drums": Role.DRUMS, "poly": Role.HARMONY}
DEFAULT_PROGRAMS = {"melody": 73, "bass": 33, "poly": 0, "drums": 0}
"""GM program per kind when the stem's name names no instrument: Flute, Fingered Bass, Piano."""
VOICE_PROGRAM = 53
"""Voice Oohs, for a melody from a stem named like a voice."""
GENERIC_WORDS = {"acoustic", "electric", "bright", "grand", "synth", "lead", "bass", "voice", "drum", "drums",
                 "fx", "pad", "other", "stem", "track", "audio", "midi", "new", "and"}
"""Words of GM names that say too little about the instrument to choose it from a stem's name."""
_VOICE = re.compile(r"vocal|voice|vox|sing|choir", re.IGNORECASE)
NAME_KINDS = {"bass": "bass", "basses": "bass", "bassline": "bass", "drum": "drums", "drums": "drums",
              "percussion": "drums", "perc": "drums", "kit": "drums", "vocal": "melody", "vocals": "melody",
              "vox": "melody", "voice": "melody", "melody": "melody", "lead": "melody", "other": "poly",
              "chords": "poly", "keys": "poly", "piano": "poly", "comping": "poly"}
"""Words of a stem's name that say what it holds (the stems ``partita separate`` writes are named
drums, bass, other and vocals)."""
_NOT = {"no", "without", "minus", "sans", "except"}
"""Words before a kind that say the stem lacks it ("song no vocals", "mix without drums")."""
_loaded: dict[tuple[object, ...], "Transcriber"] = {}


@dataclass(frozen=True)
class Instrument:
    """How a transcribed part is played back: GM ``program`` (or the drum kit) and its ``role``."""

    program: int
    is_drum: bool
    role: Role


def instrument_for(kind: str, stem_name: str = "") -> Instrument:
    """The instrument and role of a part of ``kind`` transcribed from a stem called ``stem_name``.

    A GM instrument named in the stem's name wins ("Violin", "Piano 2" -> Piano); a
    voice-like name makes a melody a voice; otherwise ``DEFAULT_PROGRAMS``.
    """
    role = KIND_ROLES[kind]
    if kind == "drums":
        return Instrument(0, True, role)
    words = set(re.findall(r"[a-z]+", stem_name.lower())) - GENERIC_WORDS
    for program, name in enumerate(GM_NAMES):
        if words & set(re.findall(r"[a-z]+", name.lower())):
            return Instrument(program, False, role)
    if kind == "melody" and _VOICE.search(stem_name):
        return Instrument(VOICE_PROGRAM, False, role)
    return Instrument(DEFAULT_PROGRAMS[kind], False, role)


def kind_from_name(stem_name: str) -> str | None:
    """The kind a stem's name says it holds ("02 Bass", "vocals", "Song drums"), or None when the
    name says nothing, names two kinds ("piano melody") or names what is left out ("no drums")."""
    words = re.findall(r"[a-z]+", stem_name.lower())
    named = [(before, NAME_KINDS[w]) for before, w in zip([""] + words, words) if w in NAME_KINDS]
    kinds = {kind for _, kind in named}
    return kinds.pop() if len(kinds) == 1 and not any(before in _NOT for before, _ in named) else None


def run_transcriber(samples: np.ndarray, sample_rate: int, stem_name: str, *, kind: str | None, device: str,
                    progress: Progress = no_progress, cancel: CancelToken | None = None,
                    ) -> tuple["Transcription", str]:
    """The engine's result for a stem called ``stem_name``, and what chose its kind: "asked",
    "name" or "audio".

    ``kind`` None: the stem's name decides when it names one kind (``kind_from_name``), else the
    engine chooses by looking at the audio.
    """
    named = kind_from_name(stem_name) if kind is None else None
    result = transcriber(device).transcribe(samples, sample_rate, kind=kind or named, progress=progress,
                                            cancel=cancel)
    return result, "name" if named else "audio" if result.detected else "asked"


def transcriber(device: str = "auto") -> "Transcriber":
    """The engine with the model store's network and drum classifier, loaded once per process."""
    from app import models
    from app.devices import resolve_device
    from engines.transcribe import Transcriber
    from engines.transcribe.drum_model import DrumWeightsError, from_arrays

    resolved = resolve_device(device)
    network, drums = models.resolve(NETWORK_MODEL), models.resolve(DRUM_MODEL)
    key = tuple((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in (network, drums)) + (resolved,)
    if key not in _loaded:
        from safetensors.numpy import load_file

        try:
            drum_model = from_arrays(load_file(str(drums)), models.check_safetensors(drums))
        except DrumWeightsError as exc:
            raise models.ModelFileError(f"{drums.name}: {exc}") from None
        _loaded.clear()
        _loaded[key] = Transcriber(network.read_bytes(), drum_model, device=resolved)
    return _loaded[key]


def engine_notes_to_ticks(notes: tuple, project: Project, *, grid_ticks: int = 0, drums: bool = False) -> list[Note]:
    """Project notes (ticks through ``project``'s tempo map) for engine notes in seconds.

    ``grid_ticks`` > 0 snaps starts (and, for pitched notes, ends) to that grid;
    every note keeps at least one grid step (or one tick).
    """
    out = []
    for n in notes:
        start = float(project.seconds_to_tick(n.start))
        end = float(project.seconds_to_tick(n.end))
        if grid_ticks:
            start = round(start / grid_ticks) * grid_ticks
            end = start + grid_ticks if drums else max(start + grid_ticks, round(end / grid_ticks) * grid_ticks)
        a = max(0, int(round(start)))
        out.append(Note(int(n.pitch), a, max(1, int(round(end)) - a), int(min(127, max(1, n.velocity)))))
    return out


def transcribe_track_command(project: Project, track_id: str, *, kind: str | None = None,
                             grid: str | None = None, device: str = "auto", progress: Progress = no_progress,
                             cancel: CancelToken | None = None) -> Compound:
    """One undoable edit: a new MIDI track after audio track ``track_id`` with its notes.

    ``project`` is a snapshot (read only); the command names tracks by id.
    ``kind``: melody, bass, drums or poly; None chooses from the audio (the
    command's label then says what was chosen). ``grid``: one of
    ``app.settings.GRIDS`` to snap to, None (or "off") to keep the played timing.
    """
    track = project.track(track_id)
    if not isinstance(track, AudioTrack):
        raise PartitaError(f"track {track.name!r} holds notes, not audio; transcription reads audio tracks")
    step = _grid_step(project, grid)
    result, chosen_by = run_transcriber(track.samples, project.sample_rate, track.name, kind=kind, device=device,
                                        progress=progress, cancel=cancel)
    new = midi_track_for(result, project, track.name, grid_ticks=step)
    index = project.tracks.index(track) + 1
    label = {"asked": result.kind, "name": f"{result.kind}, chosen from its name",
             "audio": f"{result.kind}, chosen from the audio"}[chosen_by]
    return Compound(f"Transcribe {track.name} ({label})", [AddTrack(new, index)])


def job_snapshot(project: Project, track_id: str) -> Project:
    """A snapshot for a transcription job of ``track_id``: other audio tracks keep their place and
    name but no samples, so a worker process is not sent audio it does not read."""
    from dataclasses import replace

    snap = project.snapshot()
    snap.tracks = [replace(t, samples=np.zeros((t.channels, 0), np.float32))
                   if isinstance(t, AudioTrack) and t.id != track_id else t for t in snap.tracks]
    return snap


def transcribe_work(*, project: Project, track_id: str, kind: str | None = None, grid: str | None = None,
                    device: str = "auto", progress: Progress = no_progress,
                    cancel: CancelToken | None = None) -> Compound:
    """A job's work (``app.workers.InWorker("app.transcribe:transcribe_work", ...)``)."""
    return transcribe_track_command(project, track_id, kind=kind, grid=grid, device=device,
                                    progress=progress, cancel=cancel)


def midi_track_for(result: "Transcription", project: Project, stem_name: str, *, grid_ticks: int = 0) -> MidiTrack:
    """The MIDI track holding ``result``'s notes, named after the stem, with its instrument."""
    inst = instrument_for(result.kind, stem_name)
    notes = engine_notes_to_ticks(result.notes, project, grid_ticks=grid_ticks, drums=inst.is_drum)
    return MidiTrack(name=project.unique_name(f"{stem_name} MIDI"), notes=notes, role=inst.role,
                     program=inst.program, is_drum=inst.is_drum)


def _grid_step(project: Project, grid: str | None) -> int:
    from app.operations import grid_ticks
    from app.settings import GRIDS

    if grid is None or grid == "off":
        return 0
    if grid not in GRIDS:
        raise PartitaError(f"grid {grid!r} is not one of {', '.join(g for g in GRIDS if g != 'off')}")
    return grid_ticks(grid, project.time_signature)


def transcribe_file(path: Path, *, kind: str | None = None, grid: str | None = None, tempo: float = 120.0,
                    device: str = "auto", progress: Progress = no_progress) -> tuple[Project, "Transcription", str]:
    """(a project holding one MIDI track, the engine's result, what chose the kind) for an
    audio file (its name counts as the stem's name, see ``run_transcriber``).

    The project has one tempo (``tempo`` BPM) so the notes keep their times in seconds.
    """
    from app.audio_io import audio_info, read_audio

    info = audio_info(path)
    samples = read_audio(path, info.sample_rate)
    project = Project(name=path.stem, sample_rate=info.sample_rate, tempo_map=[TempoChange(0, float(tempo))])
    result, chosen_by = run_transcriber(samples, info.sample_rate, path.stem, kind=kind, device=device,
                                        progress=progress)
    track = midi_track_for(result, project, path.stem, grid_ticks=_grid_step(project, grid))
    project.tracks.append(track)
    end = max([n.end for n in track.notes], default=0)
    project.length_bars = max(1, -(-end // project.ticks_per_bar))
    return project, result, chosen_by


def detect_tempo(path: Path) -> float | None:
    """The tempo (BPM, rounded to 0.1) of the audio file at ``path``, as the project hears a song
    (``app.tempo_detect``); None when too few beats are heard to tell."""
    from app.tempo_detect import file_timing

    timing = file_timing(path)
    return round(timing.tempo, 1) if timing is not None else None
