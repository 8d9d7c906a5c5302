"""Turning files into tracks: MIDI and audio into a project, as one undoable command."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Sequence

from app.audio_io import AUDIO_EXTENSIONS, read_audio
from app.commands import AddTrack, Command, Compound, SetCurveSpan, SetProjectProps
from app.errors import InputError
from app.midi_io import MidiContent, expression_curve, read_midi
from app.project import AudioTrack, MidiTrack, Project, Role
from app.roles import role_from_name

MIDI_EXTENSIONS = (".mid", ".midi", ".smf", ".kar")
PROJECT_EXTENSION = ".partita"


def file_kind(path: str | os.PathLike[str]) -> str:
    """"project", "midi" or "audio" by extension; ``InputError`` for anything else."""
    suffix = Path(path).suffix.lower()
    if suffix == PROJECT_EXTENSION:
        return "project"
    if suffix in MIDI_EXTENSIONS:
        return "midi"
    if suffix in AUDIO_EXTENSIONS:
        return "audio"
    raise InputError(f"{path}: unknown file type {suffix or '(no extension)'}; "
                     "use .partita, .mid, .wav, .flac, .ogg or .mp3")


def import_files(project: Project, paths: Sequence[str | os.PathLike[str]], *,
                 notes_required: bool = True) -> Command:
    """One command that adds every file's tracks (read now; nothing changes until pushed).

    An empty project takes the first MIDI file's tempo map, meter, key and
    expression curve. The project grows to cover the new material. A MIDI file
    without notes is an ``InputError`` unless ``notes_required`` is False (a DAW's
    tempo map alone: only its timing is taken).
    """
    commands: list[Command] = []
    names = {t.name.lower() for t in project.tracks}
    empty = not project.tracks
    end_seconds = project.content_end_seconds()
    scratch = Project(tempo_map=project.tempo_map, time_signature=project.time_signature,
                      sample_rate=project.sample_rate)
    for path in paths:
        kind = file_kind(path)
        if kind == "project":
            raise InputError(f"{path}: a project cannot be imported into a project; open it instead")
        if kind == "midi":
            content = read_midi(path)
            if empty:
                commands += _adopt_timing(content, scratch)
                empty = False
            tracks: list[MidiTrack | AudioTrack] = list(content.tracks)
            end_seconds = max(end_seconds, float(scratch.tick_to_seconds(content.length_ticks)))
            if not tracks and notes_required:
                raise InputError(f"{path}: the MIDI file has no notes")
        else:
            audio = audio_track(path, project.sample_rate)
            tracks = [audio]
            end_seconds = max(end_seconds, audio.seconds(project.sample_rate))
        for track in tracks:
            track.name = _unique(track.name, names)
            commands.append(AddTrack(track))
    bars = scratch.bars_to_cover(end_seconds)
    if bars > project.length_bars:
        commands.append(SetProjectProps(length_bars=bars))
    label = f"Import {Path(paths[0]).name}" + (f" and {len(paths) - 1} more" if len(paths) > 1 else "")
    return Compound(label, commands)


def _adopt_timing(content: MidiContent, scratch: Project) -> list[Command]:
    scratch.tempo_map = content.tempo_map
    scratch.time_signature = content.time_signature
    timing = dict(tempo_map=content.tempo_map, time_signature=content.time_signature)
    if content.key:
        timing["key"] = content.key
    cmds: list[Command] = [SetProjectProps(**timing)]
    scratch.length_bars = scratch.bars_to_cover(float(scratch.tick_to_seconds(content.length_ticks)))
    curve = expression_curve(content, scratch)
    if curve is not None:
        cmds.append(SetCurveSpan("dynamics", 0, curve, label="Expression"))
    return cmds


def _unique(name: str, taken: set[str]) -> str:
    base, i, candidate = name or "Track", 2, name or "Track"
    while candidate.lower() in taken:
        candidate = f"{base} {i}"
        i += 1
    taken.add(candidate.lower())
    return candidate


def audio_track(path: str | os.PathLike[str], sample_rate: int) -> AudioTrack:
    """An audio track from a file, its role guessed from the name (drums.wav -> drums)."""
    path = Path(path)
    samples = read_audio(path, sample_rate)
    role = role_from_name(path.stem) or Role.OTHER
    if path.stem.lower() in ("vocals", "vocal", "vox"):
        role = Role.MELODY
    return AudioTrack(name=path.stem, samples=samples, role=role, source=path.name)


def project_from_file(path: str | os.PathLike[str], *, detect: bool = True,
                      notes_required: bool = True) -> Project:
    """Open a .partita project, or make a new project from a MIDI or audio file.

    A project made from audio takes the tempo, meter and key detected in it, and
    the audio is placed so its first downbeat falls on a bar line
    (``app.tempo_detect``); ``detect=False`` leaves 120 BPM, 4/4 (for a caller
    that detects later, off its own thread). ``notes_required=False`` makes a
    project without tracks from a MIDI file that has only a tempo map.
    """
    from app.projectfile import load_project

    kind = file_kind(path)
    if kind == "project":
        return load_project(path)
    project = Project(name=Path(path).stem, length_bars=1)
    import_files(project, [path], notes_required=notes_required).do(project)
    if kind == "audio" and detect:
        from app.tempo_detect import detect_audio_timing, timing_command

        track = project.audio_tracks()[0]
        timing = detect_audio_timing(track.samples, project.sample_rate)
        if timing is not None:
            timing_command(project, timing, track.id, grow_only=False).do(project)
    return project
