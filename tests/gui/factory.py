"""Projects for GUI tests and benchmarks, built in code (no files, no engines)."""
from __future__ import annotations

import numpy as np

from app.project import AudioTrack, MidiTrack, Note, Project, Role, TempoChange
from engines.common import CONTROL_FRAME_RATE

BAR = 1920
SIXTEENTH = 120


def melody_notes(bars: int) -> list[Note]:
    """A D-minor line: eighths and quarters walking the scale."""
    scale = [62, 64, 65, 67, 69, 70, 72, 74]
    rng = np.random.default_rng(3)
    notes, tick, degree = [], 0, 4
    while tick < bars * BAR:
        length = int(rng.choice([240, 240, 480, 720]))
        degree = int(np.clip(degree + rng.integers(-2, 3), 0, len(scale) - 1))
        notes.append(Note(scale[degree], tick, length - 20, int(rng.integers(70, 118))))
        tick += length
    return notes


def chord_notes(bars: int) -> list[Note]:
    chords = [(50, 53, 57), (46, 50, 53), (48, 52, 55), (45, 49, 52)]
    return [Note(p, bar * BAR, BAR - 60, 72) for bar in range(bars) for p in chords[bar % 4]]


def bass_notes(bars: int) -> list[Note]:
    roots = [38, 34, 36, 33]
    return [Note(roots[bar % 4] + (12 if beat == 2 else 0), bar * BAR + beat * 480, 420, 96)
            for bar in range(bars) for beat in range(4)]


def drum_notes(bars: int) -> list[Note]:
    notes = []
    for bar in range(bars):
        for step in range(16):
            tick = bar * BAR + step * SIXTEENTH
            if step % 8 == 0:
                notes.append(Note(36, tick, 100, 110))
            if step % 8 == 4:
                notes.append(Note(38, tick, 100, 104))
            if step % 2 == 0:
                notes.append(Note(42, tick, 60, 70 + 20 * (step % 4 == 0)))
    return notes


def pad_audio(seconds: float, rate: int) -> np.ndarray:
    """A swelling stereo pad: float32 (2, frames)."""
    t = np.arange(int(seconds * rate)) / rate
    env = 0.5 - 0.5 * np.cos(2 * np.pi * t / 4.8)
    left = 0.25 * env * np.sin(2 * np.pi * 146.83 * t) + 0.1 * env * np.sin(2 * np.pi * 220 * t)
    right = 0.25 * env * np.sin(2 * np.pi * 146.83 * t + 0.4) + 0.1 * env * np.sin(2 * np.pi * 174.6 * t)
    return np.stack([left, right]).astype(np.float32)


def demo_project(bars: int = 8) -> Project:
    """Melody, chords, bass, drums, an audio pad and partly specified curves, in D minor at 100 BPM."""
    project = Project(name="Demo", tempo_map=[TempoChange(0, 100.0)], key="D:minor", length_bars=bars)
    project.tracks = [
        MidiTrack("Melody", melody_notes(bars), Role.MELODY, program=73, color="#e8a33d"),
        MidiTrack("Chords", chord_notes(bars), Role.HARMONY, program=89, color="#a487e0"),
        MidiTrack("Bass", bass_notes(bars), Role.BASS, program=33, color="#8fcf6a"),
        MidiTrack("Drums", drum_notes(bars), Role.DRUMS, is_drum=True, color="#d9697a"),
        AudioTrack("Pad", pad_audio(project.duration, project.sample_rate), Role.HARMONY, color="#5fb3d9"),
    ]
    n = project.n_frames
    t = np.arange(n) / CONTROL_FRAME_RATE
    melody = np.full(n, np.nan, dtype=np.float32)
    melody[: n // 2] = np.round(67 + 5 * np.sin(2 * np.pi * t[: n // 2] / 4.8))
    dynamics = (-18 + 12 * np.sin(2 * np.pi * t / 9.6)).astype(np.float32).clip(-60, 0)
    dynamics[int(n * 0.6): int(n * 0.8)] = np.nan
    rhythm = np.full(n, np.nan, dtype=np.float32)
    rhythm[n // 4:] = (4 + 3 * (t[n // 4:] > t[-1] * 0.6)).astype(np.float32)
    project.curves = {"melody": melody, "dynamics": dynamics, "rhythm": rhythm}
    return project


def big_project(notes: int = 20000, seconds: float = 600.0) -> Project:
    """A long project with ``notes`` notes in one track and a ``seconds``-long stereo stem."""
    rng = np.random.default_rng(0)
    project = Project(name="Big", length_bars=int(seconds / 2) + 1)
    ticks = np.sort(rng.integers(0, int(project.seconds_to_tick(seconds)), notes))
    track = MidiTrack("Dense", [Note(int(rng.integers(36, 96)), int(t), int(rng.integers(30, 960)),
                                     int(rng.integers(20, 127))) for t in ticks], Role.HARMONY)
    samples = (rng.standard_normal((2, int(seconds * project.sample_rate))) * 0.1).astype(np.float32)
    project.tracks = [track, AudioTrack("Long stem", samples)]
    return project
