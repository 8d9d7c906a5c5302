"""The project model: tracks, notes, tempo map, meter, key, loop and control curves.

Time is musical: notes live in ticks at ``PPQ`` per quarter note; seconds are
derived from the tempo map. Control curves are the exception: they are frame
arrays at ``CONTROL_FRAME_RATE`` (44100 / 512 Hz) from 0:00, because that is the
rate every control engine reads and writes (Music ControlNet's definition).

Mutate a project through ``app.commands`` so every change can be undone.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Literal, Sequence, overload

import numpy as np

from engines.common import CONTROL_FRAME_RATE
from engines.common import Note as TimedNote

PPQ = 480
"""Ticks per quarter note."""

CURVE_NAMES = ("melody", "dynamics", "rhythm")
"""The control curves every project has.

melody: MIDI pitch (float) per frame. dynamics: dB relative to the loudest
frame (<= 0). rhythm: onset density in onsets per second. NaN = unspecified.
"""

PITCH_NAMES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
_TONICS = {
    "C": 0, "B#": 0, "C#": 1, "DB": 1, "D": 2, "D#": 3, "EB": 3, "E": 4, "FB": 4,
    "F": 5, "E#": 5, "F#": 6, "GB": 6, "G": 7, "G#": 8, "AB": 8, "A": 9, "A#": 10,
    "BB": 10, "B": 11, "CB": 11,
}
MODES = ("major", "minor")


class Role(StrEnum):
    """What a track does in the arrangement; engines condition on it."""

    MELODY = "melody"
    HARMONY = "harmony"
    BASS = "bass"
    COUNTER = "counter"
    DRUMS = "drums"
    OTHER = "other"


def new_id() -> str:
    return uuid.uuid4().hex[:12]


@dataclass(frozen=True, slots=True)
class Note:
    """A note in ticks: ``start`` >= 0, ``duration`` >= 1, pitch 0-127, velocity 1-127."""

    pitch: int
    start: int
    duration: int
    velocity: int = 96

    @property
    def end(self) -> int:
        return self.start + self.duration


def note_order(note: Note) -> tuple[int, int, int, int]:
    """Sort key: by start, then pitch, duration, velocity."""
    return (note.start, note.pitch, note.duration, note.velocity)


@dataclass(frozen=True, slots=True)
class TempoChange:
    tick: int
    bpm: float


@dataclass(frozen=True, slots=True)
class TimeSignature:
    numerator: int = 4
    denominator: int = 4

    def __str__(self) -> str:
        return f"{self.numerator}/{self.denominator}"

    @property
    def ticks_per_bar(self) -> int:
        return PPQ * 4 * self.numerator // self.denominator

    @property
    def ticks_per_beat(self) -> int:
        return PPQ * 4 // self.denominator

    @classmethod
    def parse(cls, text: str) -> "TimeSignature":
        """Parse "3/4"; raise ValueError with a readable message otherwise."""
        try:
            num, den = (int(part) for part in text.strip().split("/"))
        except ValueError:
            raise ValueError(f"time signature {text!r} is not like 4/4") from None
        if not 1 <= num <= 32 or den not in (1, 2, 4, 8, 16, 32):
            raise ValueError(f"time signature {text!r} is out of range (1-32 over 1, 2, 4, 8, 16 or 32)")
        return cls(num, den)


def parse_key(text: str | None) -> tuple[int, str] | None:
    """"D:minor" -> (2, "minor"); None or "" -> None; ValueError when malformed."""
    if text is None or not text.strip():
        return None
    tonic, _, mode = text.strip().partition(":")
    mode = (mode or "major").lower()
    pc = _TONICS.get(tonic.strip().upper())
    if pc is None or mode not in MODES:
        raise ValueError(f"key {text!r} is not like C:major or F#:minor")
    return pc, mode


def format_key(pc: int, mode: str) -> str:
    return f"{PITCH_NAMES[pc % 12]}:{mode}"


@dataclass(eq=False)
class MidiTrack:
    """A track of notes. ``program`` is a GM program 0-127; ``is_drum`` plays the GM kit."""

    name: str
    notes: list[Note] = field(default_factory=list)
    role: Role = Role.OTHER
    program: int = 0
    is_drum: bool = False
    muted: bool = False
    solo: bool = False
    gain_db: float = 0.0
    pan: float = 0.0
    color: str | None = None
    group: str | None = None
    """Id of the track this one is grouped under (stems under the mix they came from), or None."""
    id: str = field(default_factory=new_id)
    kind: Literal["midi"] = field(default="midi", init=False)

    def sorted_notes(self) -> list[Note]:
        return sorted(self.notes, key=note_order)

    def end_tick(self) -> int:
        return max((n.end for n in self.notes), default=0)


@dataclass(eq=False)
class AudioTrack:
    """A stem. ``samples`` is float32, shape (channels, frames), at the project's rate."""

    name: str
    samples: np.ndarray
    role: Role = Role.OTHER
    muted: bool = False
    solo: bool = False
    gain_db: float = 0.0
    pan: float = 0.0
    color: str | None = None
    source: str | None = None
    group: str | None = None
    """Id of the track this one is grouped under (stems under the mix they came from), or None."""
    id: str = field(default_factory=new_id)
    kind: Literal["audio"] = field(default="audio", init=False)

    @property
    def channels(self) -> int:
        return int(self.samples.shape[0])

    def seconds(self, sample_rate: int) -> float:
        return self.samples.shape[1] / sample_rate


Track = MidiTrack | AudioTrack


@dataclass(eq=False)
class Project:
    """A whole song sketch.

    ``tempo_map`` is sorted by tick and starts at tick 0. ``curves`` maps each of
    ``CURVE_NAMES`` to a float32 frame array (NaN = unspecified); use
    ``curve()`` to read one sized to the project. ``last_bar_ticks``: the last
    bar's length in ticks when the project ends inside it (a piece as long as
    its controls), 0 = a whole bar; the project, its render and export end there.
    """

    name: str = "Untitled"
    sample_rate: int = 44100
    tempo_map: list[TempoChange] = field(default_factory=lambda: [TempoChange(0, 120.0)])
    time_signature: TimeSignature = field(default_factory=TimeSignature)
    key: str | None = None
    length_bars: int = 8
    last_bar_ticks: int = 0
    loop_start: int = 0
    loop_end: int = 0
    loop_enabled: bool = False
    tracks: list[Track] = field(default_factory=list)
    curves: dict[str, np.ndarray] = field(default_factory=dict)

    # -- time ---------------------------------------------------------------
    @property
    def tempo(self) -> float:
        """BPM at the start."""
        return self.tempo_map[0].bpm

    @property
    def ticks_per_bar(self) -> int:
        return self.time_signature.ticks_per_bar

    @property
    def length_ticks(self) -> int:
        """Ticks from 0 to the project's end: whole bars, the last one shortened to
        ``last_bar_ticks`` when that is set (and shorter than a bar)."""
        per_bar = self.ticks_per_bar
        last = self.last_bar_ticks if 0 < self.last_bar_ticks < per_bar else per_bar
        return (self.length_bars - 1) * per_bar + last

    @property
    def duration(self) -> float:
        """Seconds from 0:00 to the project's end (the end of the last bar, or inside it)."""
        return float(self.tick_to_seconds(self.length_ticks))

    @overload
    def tick_to_seconds(self, ticks: int | float) -> float: ...
    @overload
    def tick_to_seconds(self, ticks: np.ndarray | Sequence[int]) -> np.ndarray: ...

    def tick_to_seconds(self, ticks: np.ndarray | Sequence[int] | int | float) -> np.ndarray | float:
        """Ticks (scalar, or an array of any shape) to seconds through the tempo map."""
        starts, secs, spt = self._tempo_segments()
        t = np.asarray(ticks, dtype=np.float64)
        idx = np.clip(np.searchsorted(starts, t, side="right") - 1, 0, None)
        out = secs[idx] + (t - starts[idx]) * spt[idx]
        return float(out) if out.ndim == 0 else out

    @overload
    def seconds_to_tick(self, seconds: float) -> float: ...
    @overload
    def seconds_to_tick(self, seconds: np.ndarray | Sequence[float]) -> np.ndarray: ...

    def seconds_to_tick(self, seconds: np.ndarray | Sequence[float] | float) -> np.ndarray | float:
        """Seconds (scalar, or an array of any shape) to fractional ticks through the tempo map."""
        starts, secs, spt = self._tempo_segments()
        s = np.asarray(seconds, dtype=np.float64)
        idx = np.clip(np.searchsorted(secs, s, side="right") - 1, 0, None)
        out = starts[idx] + (s - secs[idx]) / spt[idx]
        return float(out) if out.ndim == 0 else out

    def notes_in_seconds(self, notes: Sequence[Note]) -> tuple[TimedNote, ...]:
        """``notes`` (ticks) as the engines' ``Note`` (seconds from 0:00 through the tempo map),
        in the given order: the one conversion every renderer, exporter and reader uses."""
        starts = self.tick_to_seconds(np.array([n.start for n in notes], dtype=np.float64))
        ends = self.tick_to_seconds(np.array([n.end for n in notes], dtype=np.float64))
        return tuple(TimedNote(n.pitch, float(s), float(e - s), n.velocity)
                     for n, s, e in zip(notes, starts.tolist(), ends.tolist()))

    def _tempo_segments(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        starts = np.array([c.tick for c in self.tempo_map], dtype=np.float64)
        spt = np.array([60.0 / (c.bpm * PPQ) for c in self.tempo_map])
        secs = np.concatenate([[0.0], np.cumsum(np.diff(starts) * spt[:-1])])
        return starts, secs, spt

    def beat_times(self) -> tuple[np.ndarray, np.ndarray]:
        """(beats, downbeats) in seconds over the project's length, float64 arrays."""
        sig = self.time_signature
        beat_ticks = np.arange(0, self.length_ticks, sig.ticks_per_beat)
        bar_ticks = np.arange(0, self.length_ticks, sig.ticks_per_bar)
        return (np.asarray(self.tick_to_seconds(beat_ticks)).reshape(-1),
                np.asarray(self.tick_to_seconds(bar_ticks)).reshape(-1))

    def snapshot(self) -> "Project":
        """A copy another thread (a job, the renderer) can read while the GUI edits this one.

        Note lists, the tempo map and curves are copied (notes themselves are
        immutable); audio samples are shared as read-only views, so a reader can
        never change audio the GUI shows, and copying a long stem costs nothing.
        """
        tracks: list[Track] = []
        for t in self.tracks:
            if isinstance(t, MidiTrack):
                tracks.append(replace(t, notes=list(t.notes)))
            else:
                view = t.samples.view()
                view.flags.writeable = False
                tracks.append(replace(t, samples=view))
        return replace(self, tracks=tracks, tempo_map=list(self.tempo_map),
                       curves={k: v.copy() for k, v in self.curves.items()})

    # -- content --------------------------------------------------------------
    @property
    def n_frames(self) -> int:
        """Control frames covering the project (at ``CONTROL_FRAME_RATE``)."""
        return int(np.ceil(self.duration * CONTROL_FRAME_RATE))

    def curve(self, name: str) -> np.ndarray:
        """A copy of curve ``name`` as float32 of ``n_frames`` (NaN-padded or cut)."""
        if name not in CURVE_NAMES:
            raise KeyError(f"no curve named {name!r}")
        out = np.full(self.n_frames, np.nan, dtype=np.float32)
        stored = self.curves.get(name)
        if stored is not None:
            n = min(len(stored), len(out))
            out[:n] = stored[:n]
        return out

    def track(self, track_id: str) -> Track:
        for t in self.tracks:
            if t.id == track_id:
                return t
        raise KeyError(f"no track with id {track_id!r}")

    def track_named(self, name: str) -> Track:
        """The track called ``name`` (case-insensitive), else KeyError."""
        for t in self.tracks:
            if t.name.lower() == name.lower():
                return t
        raise KeyError(name)

    def midi_tracks(self) -> list[MidiTrack]:
        return [t for t in self.tracks if isinstance(t, MidiTrack)]

    def audio_tracks(self) -> list[AudioTrack]:
        return [t for t in self.tracks if isinstance(t, AudioTrack)]

    def audible(self, track: Track) -> bool:
        """Whether ``track`` plays, honouring mute and solo across the project."""
        if any(t.solo for t in self.tracks):
            return track.solo
        return not track.muted

    def content_end_seconds(self) -> float:
        """Where the last note or sample ends, in seconds."""
        end = max((self.tick_to_seconds(t.end_tick()) for t in self.midi_tracks()), default=0.0)
        audio = max((t.seconds(self.sample_rate) for t in self.audio_tracks()), default=0.0)
        return float(max(end, audio))

    def bars_to_cover(self, seconds: float) -> int:
        """The number of whole bars needed to reach ``seconds``."""
        ticks = self.seconds_to_tick(seconds)
        return max(1, int(np.ceil(ticks / self.ticks_per_bar - 1e-9)))

    def grouped_under(self, track_id: str) -> list[Track]:
        """The tracks whose ``group`` is ``track_id``, in track order."""
        return [t for t in self.tracks if t.group == track_id]

    def unique_name(self, base: str) -> str:
        names = {t.name.lower() for t in self.tracks}
        if base.lower() not in names:
            return base
        i = 2
        while f"{base} {i}".lower() in names:
            i += 1
        return f"{base} {i}"
