"""Controls and projects: a project (or file) -> ``Controls``, and ``Controls`` -> one undoable edit.

From a project: audible MIDI tracks give symbolic controls (notes in seconds
through the tempo map; the project's dynamics curve acts as expression, as
the renderer plays it; beats from the tempo map and meter). A project with
no notes but audio tracks gives the controls of its audio mix. A single
chosen track gives that track's controls.
"""
from __future__ import annotations

import os
from typing import Collection, Sequence

import numpy as np

from app.commands import Command, Compound, SetCurveSpan, SetProjectProps
from app.project import CURVE_NAMES, AudioTrack, MidiTrack, Project, Role
from engines.common import CONTROL_SAMPLE_RATE, CancelToken, Progress, no_progress
from engines.controls import (
    Controls,
    ControlsConfig,
    NotePart,
    controls_from_notes,
    extract_controls,
    is_compound,
)

MIDDLE_C = 60


def project_beats(project: Project) -> tuple[np.ndarray, np.ndarray]:
    """(beats, downbeats) in seconds over the project, float64.

    The beat is the time signature's note value, or the dotted note in
    compound meters (6/8 has two beats a bar), as a listener taps it.
    """
    sig = project.time_signature
    step = sig.ticks_per_beat * (3 if is_compound(sig.numerator, sig.denominator) else 1)
    beat_ticks = np.arange(0, project.length_ticks, step)
    bar_ticks = np.arange(0, project.length_ticks, sig.ticks_per_bar)
    return project.tick_to_seconds(beat_ticks), project.tick_to_seconds(bar_ticks)


def note_part(project: Project, track: MidiTrack, *, melody: bool,
              expression_db: np.ndarray | None) -> NotePart:
    """The engine's view of a MIDI track: notes in seconds through the tempo map."""
    return NotePart(project.notes_in_seconds(track.sorted_notes()), is_drum=track.is_drum, gain_db=track.gain_db, melody=melody,
                    expression_db=expression_db)


def _expression(project: Project) -> np.ndarray | None:
    curve = project.curve("dynamics")
    return curve if np.isfinite(curve).any() else None


def _audio_mix(project: Project, tracks: Sequence[AudioTrack]) -> np.ndarray:
    """Sum of ``tracks`` as float32 (channels, n) at the project rate, gains applied, cut or
    padded to the project's duration."""
    n = int(round(project.duration * project.sample_rate))
    channels = max(t.channels for t in tracks)
    mix = np.zeros((channels, n), dtype=np.float32)
    for track in tracks:
        gain = np.float32(10 ** (track.gain_db / 20))
        m = min(n, track.samples.shape[1])
        mix[:, :m] += gain * track.samples[:, :m]
    return mix


def project_controls(project: Project, *, track_ids: Collection[str] | None = None,
                     config: ControlsConfig | None = None, progress: Progress = no_progress,
                     cancel: CancelToken | None = None) -> Controls:
    """Controls of the project's ``project.duration`` seconds (see the module rules).

    track_ids: read only these tracks (MIDI and audio are not mixed: MIDI
    tracks win when both are chosen); None = the audible tracks.
    """
    chosen = [t for t in project.tracks
              if (t.id in track_ids if track_ids is not None else project.audible(t))]
    midi = [t for t in chosen if isinstance(t, MidiTrack) and t.notes]
    audio = [t for t in chosen if isinstance(t, AudioTrack)]
    if audio and not midi:
        controls = extract_controls(_audio_mix(project, audio), project.sample_rate,
                                    config=config, progress=progress, cancel=cancel)
        return controls
    has_lead = any(t.role == Role.MELODY for t in midi)
    expression = _expression(project)
    parts = [note_part(project, t, melody=has_lead and t.role == Role.MELODY,
                       expression_db=expression) for t in midi]
    beats, downbeats = project_beats(project)
    progress(0.0, "reading notes")
    controls = controls_from_notes(parts, duration=project.duration, beats=beats,
                                   downbeats=downbeats, config=config)
    progress(1.0, "done")
    return controls


def file_controls(path: str | os.PathLike[str], *, config: ControlsConfig | None = None,
                  progress: Progress = no_progress, cancel: CancelToken | None = None) -> Controls:
    """Controls of an audio, MIDI or .partita file (``InputError`` if it cannot be read)."""
    from app.importing import file_kind, project_from_file

    if file_kind(path) == "audio":
        from app.audio_io import read_audio

        progress(0.0, "reading audio")
        samples = read_audio(path, CONTROL_SAMPLE_RATE)
        return extract_controls(samples, CONTROL_SAMPLE_RATE, config=config,
                                progress=progress, cancel=cancel)
    return project_controls(project_from_file(path), config=config, progress=progress,
                            cancel=cancel)


def melody_register(project: Project) -> int:
    """The MIDI pitch a pitch-class-only melody is placed around: the median pitch
    of the melody tracks' notes, else of all pitched notes, else middle C."""
    for tracks in ([t for t in project.midi_tracks() if t.role == Role.MELODY and not t.is_drum],
                   [t for t in project.midi_tracks() if not t.is_drum]):
        pitches = [n.pitch for t in tracks for n in t.notes]
        if pitches:
            return int(np.median(pitches))
    return MIDDLE_C


def place_chroma(chroma: np.ndarray, register: int) -> np.ndarray:
    """Pitch classes (float, NaN kept) -> the MIDI pitches nearest ``register`` (within -6..+5)."""
    offset = np.mod(chroma - register + 6, 12) - 6
    return (register + offset).astype(np.float32)


def melody_curve(controls: Controls, register: int) -> np.ndarray:
    """MIDI pitch per frame: the controls' melody, or their chroma placed near ``register``."""
    placed = place_chroma(controls.melody_chroma, register)
    return np.where(np.isnan(controls.melody), placed, controls.melody).astype(np.float32)


def controls_command(project: Project, controls: Controls, *,
                     lanes: Collection[str] = CURVE_NAMES,
                     label: str = "Extract controls") -> Command:
    """One undoable command that puts ``controls`` into the curve lanes.

    Each chosen lane is replaced from 0:00 (frames the controls leave
    unspecified become unspecified); melody known only as pitch classes is
    placed near the melody tracks' register. A project shorter than the
    controls grows to cover them.
    """
    values = {"melody": melody_curve(controls, melody_register(project)),
              "dynamics": controls.dynamics, "rhythm": controls.rhythm}
    commands: list[Command] = []
    if controls.duration > project.duration + 1e-6:
        commands.append(SetProjectProps(length_bars=project.bars_to_cover(controls.duration)))
    for name in CURVE_NAMES:
        if name not in lanes:
            continue
        stored = project.curves.get(name)
        size = max(len(values[name]), 0 if stored is None else len(stored))
        lane = np.full(size, np.nan, dtype=np.float32)
        lane[: len(values[name])] = values[name]
        commands.append(SetCurveSpan(name, 0, lane, label=label))
    return Compound(label, commands)


def extract_controls_command(project: Project, *, track_id: str | None = None,
                             path: str | os.PathLike[str] | None = None,
                             config: ControlsConfig | None = None,
                             progress: Progress = no_progress,
                             cancel: CancelToken | None = None) -> Command:
    """The GUI's "Extract controls from…": read controls from one track of ``project``
    or from a file, and return the one undoable command that fills the curve lanes.

    Give exactly one of ``track_id`` and ``path``. Safe on a worker thread when
    ``project`` is a snapshot (nothing is changed until the command is pushed).
    """
    from pathlib import Path

    if (track_id is None) == (path is None):
        raise ValueError("give exactly one of track_id and path")
    if path is not None:
        name = Path(path).name
        controls = file_controls(path, config=config, progress=progress, cancel=cancel)
    else:
        assert track_id is not None
        name = project.track(track_id).name
        controls = project_controls(project, track_ids=[track_id], config=config,
                                    progress=progress, cancel=cancel)
    return controls_command(project, controls, label=f"Extract controls from {name}")
