"""Tempo, meter, first downbeat and key of audio: the engine's rules on exact inputs, then
rendered music through ``partita info`` and a project opened from audio."""
from __future__ import annotations

import json

import numpy as np
import pytest
import soundfile as sf

from app.cli import main
from app.project import TempoChange, TimeSignature
from app.tempo_detect import AudioTiming, DelayAudio, lead_in, timing_command
from engines.common import CONTROL_FRAME_RATE
from engines.controls import TimingConfig
from engines.controls.key import MAJOR, MINOR, estimate_key
from engines.controls.timing import beat_period, grid_from_beats
from tests import pieces

CONFIG = TimingConfig()


def steady(bpm: float, count: int, start: float = 0.25, jitter: float = 0.0) -> np.ndarray:
    rng = np.random.default_rng(0)
    return start + np.arange(count) * 60.0 / bpm + rng.uniform(-jitter, jitter, count)


def test_the_tempo_line_is_finer_than_the_tracker_frames_and_ignores_a_dropped_beat():
    beats = np.round(steady(97.3, 40) * 100) / 100  # the tracker's 10 ms frames
    beats = np.delete(beats, 17)
    assert 60 / beat_period(beats, tolerance=0.1) == pytest.approx(97.3, rel=0.002)


def test_eighth_notes_tracked_in_a_slow_song_are_halved_and_6_8_is_told_from_3_4():
    flux = np.zeros(int(40 * CONTROL_FRAME_RATE), np.float32)
    beats = steady(170.0, 60, start=0.5)
    grid = grid_from_beats(beats, beats[::4], flux, config=CONFIG)
    assert grid is not None and grid.bpm == pytest.approx(85.0, rel=1e-3)
    assert (grid.numerator, grid.denominator) == (2, 4) and grid.first_downbeat == pytest.approx(0.5)

    waltz = steady(120.0, 48)
    downbeats = waltz[::3]
    for accent, meter in ((1.0, (3, 4)), (1.5, (6, 8))):
        flux[:] = 0
        for offset in (0.0, accent):
            flux[np.round((downbeats + offset * 0.5) * CONTROL_FRAME_RATE).astype(int)] = 1.0
        grid = grid_from_beats(waltz, downbeats, flux, config=CONFIG)
        assert grid is not None and (grid.numerator, grid.denominator) == meter
        assert grid.bpm == pytest.approx(120.0, rel=1e-3)
    assert grid_from_beats(waltz[:5], downbeats[:2], flux, config=CONFIG) is None, "too few beats"


def test_keys_are_named_only_when_they_stand_out():
    d_minor = np.roll(MINOR, 2) + 0.01
    found = estimate_key(d_minor, margin=0.06)
    assert found is not None and (found.tonic, found.mode) == (2, "minor")
    assert estimate_key(np.roll(MAJOR, 7), margin=0.06).tonic == 7
    assert estimate_key(np.ones(12), margin=0.06) is None, "a flat profile names no key"


def test_a_pickup_is_moved_onto_a_bar_line_in_one_undo_step():
    from app.commands import UndoStack
    from app.project import AudioTrack, Project

    project = Project(name="song", length_bars=1)
    track = AudioTrack("song", np.ones((2, 44100 * 10), np.float32))
    project.tracks.append(track)
    timing = AudioTiming(96.0, TimeSignature(4, 4), 0.5, "D:minor")
    assert lead_in(timing) == pytest.approx(2.5 - 0.5)
    stack = UndoStack(project)
    stack.push(timing_command(project, timing, track.id, grow_only=False))
    assert project.tempo == 96.0 and project.key == "D:minor" and str(project.time_signature) == "4/4"
    assert track.samples.shape[1] == 44100 * 12 and not track.samples[:, : 44100 * 2].any()
    assert project.length_bars == 5, "12 s at 2.5 s a bar"
    stack.undo()
    assert project.tempo == 120.0 and track.samples.shape[1] == 44100 * 10
    with pytest.raises(ValueError):
        DelayAudio(track.id, 0)


@pytest.fixture(scope="module")
def song(tmp_path_factory):
    """Twelve bars of a band at 96 BPM in 4/4, rendered, with a half-bar of silence first."""
    piece = pieces.arrangement(5, 96.0, (4, 4), bars=12)
    audio = pieces.audio(piece)
    pickup = np.zeros((2, int(1.25 * 44100)), np.float32)
    path = tmp_path_factory.mktemp("song") / "band.wav"
    sf.write(path, np.concatenate([pickup, audio], axis=1).T, 44100, subtype="PCM_24")
    return path, piece


def test_info_on_a_song_reports_the_tempo_meter_and_first_downbeat_it_hears(song, capsys):
    path, piece = song
    assert main(["info", str(path), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["tempo"] == pytest.approx(96.0, rel=0.02) and info["detected"] is True
    assert info["time_signature"] == "4/4"
    bar = 2.5
    offset = (info["first_downbeat"] - 1.25) % bar
    assert min(offset, bar - offset) < 0.07, f"first downbeat {info['first_downbeat']} is off the bars"
    assert info["duration"] == pytest.approx(1.25 + piece.duration, abs=0.05)


def test_info_on_a_clip_without_a_beat_keeps_the_contract_types_and_says_so(tmp_path, capsys):
    """Two seconds of a held chord: no beat to find. The numbers are the grid a project opened
    from the clip gets (CONTRACT.md types tempo, meter and bars), and ``detected`` says they
    were not heard."""
    from app.importing import project_from_file

    t = np.arange(2 * 48000) / 48000
    chord = sum(0.2 * np.sin(2 * np.pi * f * t) for f in (220.0, 277.2, 329.6)).astype(np.float32)
    path = tmp_path / "pad.wav"
    sf.write(path, chord, 48000)
    assert main(["info", str(path), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    opened = project_from_file(path)
    assert info["detected"] is False and info["first_downbeat"] is None
    assert (info["tempo"], info["time_signature"], info["bars"]) == \
        (opened.tempo, str(opened.time_signature), opened.length_bars) == (120.0, "4/4", 1)
    assert main(["info", str(path)]) == 0
    assert "no steady beat found" in capsys.readouterr().out


def test_a_project_opened_from_a_song_has_its_grid(song):
    from app.importing import project_from_file

    path, _ = song
    project = project_from_file(path)
    assert project.tempo == pytest.approx(96.0, rel=0.02) and str(project.time_signature) == "4/4"
    track = project.audio_tracks()[0]
    sound = np.flatnonzero(np.abs(track.samples).max(axis=0) > 0.05)
    first = sound[0] / project.sample_rate
    bar = float(project.tick_to_seconds(project.ticks_per_bar))
    assert first == pytest.approx(bar, abs=0.07), "the music's first downbeat starts bar 2"
    assert project.tempo_map == [TempoChange(0, project.tempo)]
