"""The grid of a song that arrives as audio: its tempo, meter, first downbeat and key as project
settings, so the bars of a project line up with the music.

``detect_audio_timing(samples, rate)`` runs ``engines.controls.detect_timing`` and
returns an ``AudioTiming`` in project terms (a ``TimeSignature``, a key like
"D:minor" or None when no key stands out). ``file_timing(path)`` reads a file for
it. ``timing_command(project, timing, track_id)`` is one undoable step that sets
the tempo, meter and key and moves the audio track so its first downbeat falls on
a bar line: silence is put before it (the song's pickup then sits in bar 1 and its
first downbeat starts bar 2); nothing of the recording is cut.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np

from app.commands import Change, Command, Compound, SetProjectProps
from app.project import AudioTrack, Project, TempoChange, TimeSignature, format_key
from engines.common import CONTROL_SAMPLE_RATE, CancelToken, Progress, no_progress

ON_THE_BAR = 0.03
"""Seconds: a first downbeat this close to a bar line needs no moving."""


@dataclass(frozen=True)
class AudioTiming:
    """tempo: quarter notes a minute; first_downbeat: seconds into the recording."""

    tempo: float
    time_signature: TimeSignature
    first_downbeat: float
    key: str | None

    def describe(self) -> str:
        """ "96.0 BPM, 4/4, first downbeat at 0:00.52, key D minor"."""
        minutes, seconds = divmod(self.first_downbeat, 60)
        key = f", key {self.key.replace(':', ' ')}" if self.key else ""
        return (f"{self.tempo:.1f} BPM, {self.time_signature}, first downbeat at "
                f"{int(minutes)}:{seconds:05.2f}{key}")


def detect_audio_timing(samples: np.ndarray, sample_rate: int, *, progress: Progress = no_progress,
                        cancel: CancelToken | None = None) -> AudioTiming | None:
    """The grid of a recording (float (channels, n) at ``sample_rate``), or None when it has
    too few beats to tell (silence, speech, a few seconds)."""
    from engines.controls import detect_timing

    timing = detect_timing(samples, sample_rate, progress=progress, cancel=cancel)
    if timing is None:
        return None
    key = None if timing.key is None else format_key(timing.key.tonic, timing.key.mode)
    return AudioTiming(round(timing.bpm, 2), TimeSignature(timing.numerator, timing.denominator),
                       timing.first_downbeat, key)


def file_timing(path: str | os.PathLike[str], *, progress: Progress = no_progress,
                cancel: CancelToken | None = None) -> AudioTiming | None:
    """``detect_audio_timing`` of an audio file (``InputError`` if it cannot be read)."""
    from app.audio_io import read_audio

    progress(0.0, "reading audio")
    samples = read_audio(path, CONTROL_SAMPLE_RATE)
    return detect_audio_timing(samples, CONTROL_SAMPLE_RATE, progress=progress, cancel=cancel)


def lead_in(timing: AudioTiming) -> float:
    """Seconds of silence that put the first downbeat on the next bar line (0 when it is on one)."""
    bar = 60.0 / timing.tempo * 4 * timing.time_signature.numerator / timing.time_signature.denominator
    early = (bar - timing.first_downbeat % bar) % bar
    return 0.0 if min(early, bar - early) <= ON_THE_BAR else early


def timing_command(project: Project, timing: AudioTiming, track_id: str, *,
                   grow_only: bool = True) -> Command:
    """One undo step: the project takes ``timing``'s tempo, meter and key (a key only when one
    was found), ``track_id``'s audio moves so its first downbeat falls on a bar line, and the
    project's length covers everything in the new bars (``grow_only``: never fewer bars than
    it has; False for a project made from that audio alone)."""
    track = project.track(track_id)
    if not isinstance(track, AudioTrack):
        raise ValueError(f"{track.name} is not an audio track")
    props: dict[str, object] = {"tempo_map": [TempoChange(0, timing.tempo)],
                                "time_signature": timing.time_signature}
    if timing.key:
        props["key"] = timing.key
    pad = round(lead_in(timing) * project.sample_rate)
    grid = Project(tempo_map=[TempoChange(0, timing.tempo)], time_signature=timing.time_signature,
                   sample_rate=project.sample_rate)
    audio_end = max(t.samples.shape[1] + (pad if t is track else 0)
                    for t in project.audio_tracks()) / project.sample_rate
    notes_end = max((n.end for t in project.midi_tracks() for n in t.notes), default=0)
    needed = max(grid.bars_to_cover(audio_end), -(-notes_end // grid.ticks_per_bar), 1)
    props["length_bars"] = max(needed, project.length_bars) if grow_only else needed
    commands: list[Command] = [SetProjectProps(**props)]
    if pad:
        commands.append(DelayAudio(track_id, pad))
    return Compound(f"Tempo and meter from {track.name}", commands)


class DelayAudio(Command):
    """Put ``frames`` of silence before an audio track (it starts later; undo takes them off)."""

    label = "Move audio"

    def __init__(self, track_id: str, frames: int) -> None:
        if frames <= 0:
            raise ValueError("frames must be positive")
        self.track_id, self.frames = track_id, frames
        self.before: np.ndarray | None = None

    def do(self, project: Project) -> None:
        track = project.track(self.track_id)
        if not isinstance(track, AudioTrack):
            raise ValueError(f"{track.name} is not an audio track")
        self.before = track.samples
        silence = np.zeros((track.channels, self.frames), dtype=track.samples.dtype)
        track.samples = np.concatenate([silence, track.samples], axis=1)

    def undo(self, project: Project) -> None:
        track = project.track(self.track_id)
        assert isinstance(track, AudioTrack) and self.before is not None
        track.samples = self.before

    @property
    def changes(self) -> tuple[Change, ...]:
        return (Change("track", self.track_id), Change("meta"))
