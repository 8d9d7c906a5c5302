"""Small builders for test inputs: MIDI files, audio files and projects."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from app.project import MidiTrack, Note, Project, Role


def write_wav(path: Path, seconds: float = 1.0, *, rate: int = 44100, channels: int = 2,
              subtype: str = "PCM_16", freq: float = 440.0) -> Path:
    import soundfile as sf

    t = np.arange(int(seconds * rate)) / rate
    tone = 0.5 * np.sin(2 * np.pi * freq * t)
    data = np.stack([tone * (1 - 0.1 * c) for c in range(channels)], axis=1).astype(np.float32)
    sf.write(str(path), data, rate, subtype=subtype)
    return path


def small_project() -> Project:
    project = Project(name="Test", length_bars=4)
    project.tracks.append(MidiTrack("Lead", [Note(72, 0, 480, 90), Note(74, 480, 240, 70)],
                                    role=Role.MELODY, program=73))
    project.tracks.append(MidiTrack("Bass", [Note(36, 0, 960, 100)], role=Role.BASS, program=33))
    project.tracks.append(MidiTrack("Drums", [Note(36, 0, 60, 110), Note(38, 480, 60, 100)],
                                    role=Role.DRUMS, is_drum=True))
    return project
