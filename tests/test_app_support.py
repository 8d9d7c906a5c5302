"""Settings, autosave/recovery and waveform peaks: the app-side pieces of the GUI."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from app.autosave import Autosaver
from app.peaks import Peaks
from app.project import Project
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


def test_app_side_gui_helpers_import_without_qt():
    code = ("import sys, app.player, app.jobs, app.autosave, app.settings, app.peaks, "
            "app.audio_output, app.note_edits, ui.note_index, ui.curve_tools, ui.snap; "
            "bad = [m for m in sys.modules if m.startswith(('PySide6', 'torch', 'sounddevice'))]; "
            "print(bad); sys.exit(1 if bad else 0)")
    env = dict(os.environ, PYTHONPATH=os.getcwd())
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
