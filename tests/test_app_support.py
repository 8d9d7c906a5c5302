"""Settings, autosave/recovery, waveform peaks and exports: the app-side pieces of the GUI."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest
import soundfile as sf

from app.autosave import Autosaver
from app.exporting import ExportRequest, audio_mixdown, export_project, stem_file_names
from app.peaks import Peaks
from app.project import AudioTrack, MidiTrack, Note, Project
from app.settings import Settings


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path


def test_settings_round_trip_and_survive_damage(home):
    settings = Settings.load()
    assert settings.grid == "1/16"
    settings.grid = "1/8T"
    for i in range(15):
        settings.add_recent(home / f"song{i}.partita")
    settings.save()
    loaded = Settings.load()
    assert loaded.grid == "1/8T" and len(loaded.recent_files) == 10
    assert loaded.recent_files[0].endswith("song14.partita")
    Settings.path().write_text(json.dumps({"grid": "1/7", "autosave_seconds": "often", "extra": 1}))
    damaged = Settings.load()
    assert damaged.grid == "1/16" and damaged.autosave_seconds == 60
    Settings.path().write_text("{not json")
    assert Settings.load() == Settings()


def test_autosave_offers_only_copies_of_dead_sessions(home):
    project = Project(name="Idea")
    live = Autosaver()
    live.save(project, None)
    other = Autosaver()
    assert [r.name for r in other.pending()] == ["Idea"]
    meta = json.loads(live.meta_path.read_text())
    meta["pid"] = 1  # pid 1 is always alive: a running session's copy is not offered
    live.meta_path.write_text(json.dumps(meta))
    assert other.pending() == []
    meta["pid"] = 2 ** 22 + 12345
    live.meta_path.write_text(json.dumps(meta))
    recovery = other.pending()[0]
    assert Autosaver.restore(recovery).name == "Idea"
    Autosaver.discard(recovery)
    assert other.pending() == [] and not live.project_path.exists()


def test_peaks_match_brute_force_at_any_zoom():
    rng = np.random.default_rng(1)
    samples = rng.standard_normal((2, 100_003)).astype(np.float32)
    peaks = Peaks(samples)
    for start, spp in ((0.0, 0.5), (17.0, 3.0), (100.0, 64.0), (1000.0, 300.0), (0.0, 5000.0)):
        env = peaks.envelope(start, spp, 15)
        for i in range(15):
            a = int(np.floor(start + i * spp))
            if a >= samples.shape[1]:
                assert np.isnan(env[:, :, i]).all()
                continue
            block = 1
            if spp >= 64:
                level = min(int(np.log(spp / 64) / np.log(4) + 1e-9), len(peaks.levels) - 1)
                block = peaks.block(level)
            first = a // block
            stop = max(int(np.floor((start + (i + 1) * spp) / block)), first + 1)
            seg = samples[:, first * block:min(stop * block, samples.shape[1])]
            np.testing.assert_allclose(env[:, 0, i], seg.min(axis=1), rtol=0, atol=0)
            np.testing.assert_allclose(env[:, 1, i], seg.max(axis=1), rtol=0, atol=0)


def test_export_writes_midi_mix_and_equal_length_stems_that_sum_to_the_mix(tmp_path):
    project = Project(name="Song", length_bars=2)
    tone = np.tile(np.float32([0.1, 0.2, -0.1]), 30_000)[None]
    project.tracks = [AudioTrack("Keys", np.vstack([tone, tone])), AudioTrack("Keys", tone * 2, gain_db=-6.0),
                      AudioTrack("Muted", tone, muted=True), MidiTrack("Lead", [Note(60, 0, 480)])]
    result = export_project(project, ExportRequest(midi_path=tmp_path / "s.mid", wav_path=tmp_path / "s.wav",
                                                   stems_dir=tmp_path / "stems", bit_depth="32f"))
    names = sorted(p.name for p in (tmp_path / "stems").iterdir())
    assert names == ["Keys 2.wav", "Keys.wav"]
    assert (tmp_path / "s.mid").stat().st_size > 0 and result.notes and "Lead" in result.notes[0]
    mix, rate = sf.read(tmp_path / "s.wav", always_2d=True)
    stems = [sf.read(tmp_path / "stems" / n, always_2d=True)[0] for n in names]
    assert rate == 44100 and len(mix) == round(project.duration * 44100)
    assert all(s.shape == mix.shape for s in stems)
    np.testing.assert_allclose(sum(stems), mix, atol=1e-6)
    quieter = sf.read(tmp_path / "stems" / "Keys 2.wav", always_2d=True)[0]
    np.testing.assert_allclose(quieter[:3, 0], np.array([0.2, 0.4, -0.2]) * 10 ** (-6 / 20), rtol=1e-5)
    np.testing.assert_allclose(quieter[:3, 1], quieter[:3, 0], rtol=0)  # mono plays on both sides


def test_mixdown_resamples_to_the_export_rate():
    project = Project(name="Rate", length_bars=1)
    project.tracks = [AudioTrack("a", np.ones((2, 44100), np.float32) * 0.5)]
    mix, stems = audio_mixdown(project, 48000)
    assert mix.shape == (2, round(project.duration * 48000))
    assert abs(float(mix[0, 24000]) - 0.5) < 1e-3


def test_stem_names_are_safe_and_unique():
    project = Project()
    project.tracks = [MidiTrack('a/b:c?'), MidiTrack("A/B:C?"), MidiTrack("  ..")]
    names = stem_file_names(project, [t.id for t in project.tracks])
    assert sorted(names.values()) == ["A_B_C_ 2.wav", "a_b_c_.wav", "track.wav"]


def test_app_side_gui_helpers_import_without_qt():
    code = ("import sys, app.player, app.jobs, app.autosave, app.settings, app.peaks, app.exporting, "
            "app.playback, app.audio_output, ui.note_index, ui.note_ops, ui.curve_tools, ui.snap; "
            "bad = [m for m in sys.modules if m.startswith(('PySide6', 'torch', 'sounddevice'))]; "
            "print(bad); sys.exit(1 if bad else 0)")
    env = dict(os.environ, PYTHONPATH=os.getcwd())
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
