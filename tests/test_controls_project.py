"""Controls from projects and files, applied back as one undoable edit, and `partita controls`."""
from __future__ import annotations

import json

import numpy as np
import pytest

from app.cli import main
from app.commands import UndoStack
from app.controls_io import read_controls
from app.controls_project import (
    controls_command,
    file_controls,
    melody_register,
    place_chroma,
    project_beats,
    project_controls,
)
from app.project import AudioTrack, MidiTrack, Note, Project, Role, TempoChange, TimeSignature
from engines.common import CONTROL_FRAME_RATE
from engines.controls import Controls, beat_f1, downbeat_f1, n_frames_for
from tests.helpers import small_project


def band_project(bpm: float = 110.0, numerator: int = 4, bars: int = 8) -> Project:
    """Drums, bass, chords and a lead over ``bars`` bars, in ticks."""
    project = Project(name="Band", length_bars=bars, tempo_map=[TempoChange(0, bpm)],
                      time_signature=TimeSignature(numerator, 4))
    beat, bar = 480, 480 * numerator
    kit, bass, chords, lead = [], [], [], []
    roots = [48, 53, 55, 45]
    for b in range(bars):
        t0, root = b * bar, roots[b % 4]
        kit += [Note(42, t0 + e * 240, 60, 90 if e % 2 == 0 else 60) for e in range(2 * numerator)]
        kit += [Note(36, t0, 60, 115)] + [Note(38, t0 + k * beat, 60, 100) for k in range(1, numerator, 2)]
        bass += [Note(root - 12, t0 + k * beat, beat - 20, 105 if k == 0 else 85) for k in range(numerator)]
        chords += [Note(root + i, t0, bar - 20, 70) for i in (12, 16, 19)]
        lead += [Note(root + 24 + (k % 3) * 2, t0 + k * beat, beat - 40, 100 if k == 0 else 80)
                 for k in range(numerator)]
    project.tracks += [MidiTrack("Drums", kit, role=Role.DRUMS, is_drum=True),
                       MidiTrack("Bass", bass, role=Role.BASS, program=33),
                       MidiTrack("Keys", chords, role=Role.HARMONY, program=4),
                       MidiTrack("Lead", lead, role=Role.MELODY, program=73)]
    return project


def test_project_beats_follow_tempo_map_and_compound_meter():
    p = Project(length_bars=4, tempo_map=[TempoChange(0, 120.0), TempoChange(1920, 60.0)])
    beats, downbeats = project_beats(p)
    np.testing.assert_allclose(beats[:6], [0, 0.5, 1.0, 1.5, 2.0, 3.0])
    np.testing.assert_allclose(downbeats, [0.0, 2.0, 6.0, 10.0])
    six_eight = Project(length_bars=2, tempo_map=[TempoChange(0, 120.0)],
                        time_signature=TimeSignature(6, 8))
    beats, downbeats = project_beats(six_eight)
    np.testing.assert_allclose(beats, [0.0, 0.75, 1.5, 2.25])
    np.testing.assert_allclose(downbeats, [0.0, 1.5])


def test_symbolic_controls_of_a_project():
    p = small_project()
    c = project_controls(p)
    assert c.duration == p.duration and c.n_frames == p.n_frames
    assert c.melody[10] == 72.0 and c.melody[int(0.6 * CONTROL_FRAME_RATE)] == 74.0
    assert np.isnan(c.melody[int(1.0 * CONTROL_FRAME_RATE)])
    assert c.beats.tolist()[:3] == [0.0, 0.5, 1.0] and c.downbeats.tolist()[:2] == [0.0, 2.0]
    only_bass = project_controls(p, track_ids=[p.tracks[1].id])
    assert only_bass.melody[10] == 36.0


def test_muted_tracks_are_left_out():
    p = small_project()
    p.tracks[0].muted = True
    assert project_controls(p).melody[10] == 36.0


def test_audio_only_project_is_analysed():
    p = Project(length_bars=2)
    t = np.arange(int(p.duration * p.sample_rate)) / p.sample_rate
    tone = (0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
    p.tracks.append(AudioTrack("A", np.stack([tone, tone])))
    c = project_controls(p)
    assert np.all(np.isnan(c.melody))
    assert np.nanmedian(c.melody_chroma) == 9.0
    assert c.duration == pytest.approx(p.duration)


def test_chroma_is_placed_in_the_melody_register():
    assert place_chroma(np.array([0, 11, 5, np.nan]), 72).tolist()[:3] == [72.0, 71.0, 77.0]
    assert melody_register(small_project()) == 73
    assert melody_register(Project()) == 60


def test_applying_controls_is_one_undo_step():
    p = small_project()
    p.curves["dynamics"] = np.full(10, -3.0, np.float32)
    stack = UndoStack(p)
    n = n_frames_for(2 * p.duration)  # longer than the project: it grows
    chroma = np.where(np.arange(n) < 100, 2.0, np.nan)
    controls = Controls.build(2 * p.duration, melody_chroma=chroma,
                              dynamics=np.linspace(-20, 0, n), rhythm=np.full(n, 3.0),
                              beats=np.zeros(0), downbeats=np.zeros(0))
    bars = p.length_bars
    stack.push(controls_command(p, controls))
    assert stack.undo_label == "Extract controls"
    assert p.length_bars == 2 * bars
    melody = p.curve("melody")
    assert melody[0] == 74.0 and np.isnan(melody[150])
    assert p.curve("dynamics")[-1] == pytest.approx(0.0) and p.curve("rhythm")[5] == 3.0
    stack.undo()
    assert p.length_bars == bars and "melody" not in p.curves and "rhythm" not in p.curves
    np.testing.assert_array_equal(p.curves["dynamics"], np.full(10, -3.0, np.float32))
    stack.redo()
    assert p.curve("melody")[0] == 74.0


def test_only_chosen_lanes_change():
    p = small_project()
    c = project_controls(p)
    controls_command(p, c, lanes=("dynamics",)).do(p)
    assert set(p.curves) == {"dynamics"}


@pytest.mark.parametrize("numerator", [4, 3])
def test_midi_file_and_its_rendering_give_the_same_beats(tmp_path, numerator):
    from app.audio_io import write_audio
    from app.midi_io import write_midi
    from app.mixdown import render_project

    write_midi(band_project(numerator=numerator), tmp_path / "band.mid")
    from_notes = file_controls(tmp_path / "band.mid")
    mix = render_project(band_project(numerator=numerator), sound_font=None).mix
    write_audio(tmp_path / "band.wav", mix, 44100)
    from_audio = file_controls(tmp_path / "band.wav")
    assert len(from_notes.beats) == 8 * numerator
    # The rendering rings on past the last bar; compare over the bars themselves.
    inside = lambda t: t[t < from_notes.duration - 0.1]  # noqa: E731
    assert beat_f1(from_notes.beats, inside(from_audio.beats)) == 1.0
    assert downbeat_f1(from_notes.downbeats, inside(from_audio.downbeats)) == 1.0


def test_cli_writes_controls_of_a_midi_file(tmp_path, capsys):
    from app.midi_io import write_midi

    write_midi(band_project(bars=4), tmp_path / "band.mid")
    before = (tmp_path / "band.mid").read_bytes()
    assert main(["controls", str(tmp_path / "band.mid"), "-o", str(tmp_path / "c.json")]) == 0
    assert (tmp_path / "band.mid").read_bytes() == before
    doc = json.loads((tmp_path / "c.json").read_text())
    assert doc["format"] == "partita.controls/1" and doc["duration"] == pytest.approx(4 * 4 * 60 / 110)
    assert len(doc["beats"]) == 16 and len(doc["downbeats"]) == 4
    assert {"melody", "melody_chroma", "dynamics", "onset_density"} <= set(doc)
    assert "controls" in capsys.readouterr().err
    assert read_controls(tmp_path / "c.json").n_frames == len(doc["dynamics"])


@pytest.mark.parametrize("argv,message", [
    (["controls", "{d}/missing.wav", "-o", "{d}/c.json"], "no such file"),
    (["controls", "{d}/notes.txt", "-o", "{d}/c.json"], "unknown file type"),
    (["controls", "{d}/band.mid", "-o", "{d}/c.txt"], "must end in .json"),
    (["controls", "{d}/band.mid", "-o", "{d}/c.json", "--beats-per-bar", "1"], "beats-per-bar"),
    (["controls", "{d}/band.mid"], "required"),
])
def test_cli_errors_are_one_line(tmp_path, capsys, argv, message):
    from app.midi_io import write_midi

    write_midi(band_project(bars=1), tmp_path / "band.mid")
    (tmp_path / "notes.txt").write_text("hello")
    code = main([a.format(d=tmp_path) for a in argv])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and err[-1].startswith("partita: error:") and message in err[-1]


def test_cli_reads_audio_as_pitch_classes(tmp_path, capsys):
    from tests.helpers import write_wav

    write_wav(tmp_path / "a.wav", 2.0, rate=48000, freq=440.0)
    assert main(["controls", str(tmp_path / "a.wav"), "-o", str(tmp_path / "a.json")]) == 0
    doc = json.loads((tmp_path / "a.json").read_text())
    assert "melody" not in doc and doc["duration"] == pytest.approx(2.0)
    chroma = [v for v in doc["melody_chroma"] if v is not None]
    assert chroma.count(9) > 0.9 * len(chroma) and len(chroma) > 150
    assert max(doc["dynamics"]) == 0.0 and isinstance(doc["beats"], list)


def test_extract_controls_command_from_a_track_and_from_a_file(tmp_path):
    from app.commands import UndoStack
    from app.controls_project import extract_controls_command
    from tests.helpers import write_wav

    p = small_project()
    stack = UndoStack(p)
    stack.push(extract_controls_command(p, track_id=p.tracks[1].id))
    assert stack.undo_label == "Extract controls from Bass" and p.curve("melody")[10] == 36.0
    write_wav(tmp_path / "a.wav", 2.0, freq=440.0)
    stack.push(extract_controls_command(p, path=tmp_path / "a.wav"))
    assert stack.undo_label == "Extract controls from a.wav"
    assert p.curve("melody")[40] == 69.0  # A placed near the melody register (73)
    stack.undo()
    assert p.curve("melody")[10] == 36.0
    with pytest.raises(ValueError):
        extract_controls_command(p)
