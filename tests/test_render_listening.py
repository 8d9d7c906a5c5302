"""The listening set: four instruments and the drum kit, a few seconds each, plus them together.

Written into the test's temporary folder; to keep the files and listen, set
PARTITA_LISTEN_DIR (see the README's "Listening set" section):

    PARTITA_LISTEN_DIR=out/listening python -m pytest tests/test_render_listening.py
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from app.audio_io import write_audio
from app.mixdown import render_project
from app.project import PPQ, MidiTrack, Note, Project, Role
from engines.common import CONTROL_FRAME_RATE

PROGRESSION = ((57, 60, 64), (53, 57, 60), (48, 52, 55), (55, 59, 62))  # Am F C G
BAR = 4 * PPQ


def piano() -> MidiTrack:
    notes = []
    for b, chord in enumerate(PROGRESSION):
        for k in range(8):
            pitch = (chord + tuple(p + 12 for p in chord))[k % 6]
            notes.append(Note(pitch, b * BAR + k * PPQ // 2, PPQ, 70 + 8 * (k % 4 == 0)))
    return MidiTrack("Piano", notes, role=Role.HARMONY, program=0, pan=-0.2)


def strings() -> MidiTrack:
    notes = [Note(p + 12, b * BAR, BAR, 85) for b, chord in enumerate(PROGRESSION) for p in chord]
    return MidiTrack("Strings", notes, role=Role.HARMONY, program=48, pan=0.25)


def bass() -> MidiTrack:
    roots = (45, 41, 36, 43)
    notes = [Note(r + (12 if k in (3, 7) else 0), b * BAR + k * PPQ // 2, PPQ // 2 - 30, 95)
             for b, r in enumerate(roots) for k in range(8)]
    return MidiTrack("Bass", notes, role=Role.BASS, program=33)


def lead() -> MidiTrack:
    line = ((76, 0, 2), (74, 2, 1), (72, 3, 1), (72, 4, 3), (69, 7, 1), (67, 8, 2), (69, 10, 1),
            (71, 11, 1), (72, 12, 4))
    notes = [Note(p, s * PPQ, d * PPQ - 20, 100) for p, s, d in line]
    return MidiTrack("Trumpet", notes, role=Role.MELODY, program=56, pan=0.1)


def drums() -> MidiTrack:
    notes = []
    for b in range(4):
        for s in range(16):
            t = b * BAR + s * PPQ // 4
            notes.append(Note(46 if s == 14 else 42, t, 60, 70 + 20 * (s % 4 == 0)))
            if s in (0, 10):
                notes.append(Note(36, t, 60, 115))
            if s in (4, 12):
                notes.append(Note(38 if b < 3 or s == 4 else 39, t, 60, 105))
        if b == 3:
            notes += [Note(k, b * BAR + (12 + i) * PPQ // 4, 60, 100) for i, k in enumerate((50, 47, 45, 41))]
    notes.append(Note(49, 4 * BAR, 60, 110))
    notes.append(Note(36, 4 * BAR, 60, 115))
    return MidiTrack("Drums", notes, role=Role.DRUMS, is_drum=True)


def song(*tracks: MidiTrack, swell: bool = False) -> Project:
    project = Project(name="Listening", length_bars=5, tracks=list(tracks))
    if swell:
        t = np.arange(project.n_frames) / CONTROL_FRAME_RATE
        project.curves["dynamics"] = np.clip(-18 + 18 * t / 6.0, -18, 0).astype(np.float32)
    return project


CLIPS = {
    "1-piano": lambda: song(piano()),
    "2-strings-crescendo": lambda: song(strings(), swell=True),
    "3-bass": lambda: song(bass()),
    "4-trumpet": lambda: song(lead()),
    "5-drums": lambda: song(drums()),
    "6-band": lambda: song(piano(), strings(), bass(), lead(), drums()),
}


@pytest.fixture(scope="module")
def listen_dir(tmp_path_factory) -> Path:
    chosen = os.environ.get("PARTITA_LISTEN_DIR")
    folder = Path(chosen) if chosen else tmp_path_factory.mktemp("listening")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.parametrize("name", list(CLIPS))
def test_listening_clip_is_rendered(name, listen_dir):
    import soundfile as sf

    mixdown = render_project(CLIPS[name](), sound_font=None)
    path = listen_dir / f"{name}.wav"
    write_audio(path, mixdown.mix, mixdown.sample_rate, "24")
    audio, rate = sf.read(str(path), always_2d=True)
    assert rate == 44100 and 8.0 < len(audio) / rate < 14.0
    assert 0.05 < np.abs(audio).max() <= 10 ** (-1 / 20) + 1e-6
    level = np.sqrt(np.mean(audio ** 2, axis=1))
    assert (level > 1e-4).mean() > 0.75          # music most of the time, not a blip
