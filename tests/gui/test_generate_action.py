"""The Generate panel: draw curves with the mouse, press Generate, the music follows; undo.

Needs the GUI (ui.main_window and tests/gui/conftest.py).
"""
from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("ui.main_window")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.controls_project import project_controls  # noqa: E402
from app.jobs import JobState  # noqa: E402
from app.project import Project  # noqa: E402
from engines.generate.dynamics import curve_at  # noqa: E402
from tests.gui.conftest import drag  # noqa: E402
from tests.gui.test_curves import lane_point  # noqa: E402
from ui.actions import generate as action  # noqa: E402


def finished(window, qtbot):
    qtbot.waitUntil(lambda: not window.jobs.runner.active(), timeout=120000)
    return window.jobs.runner.jobs[-1]


def test_draw_melody_and_dynamics_press_generate_and_the_music_follows(make_window, qtbot):
    window = make_window(Project(name="Sketch", length_bars=8))  # 16 s at 120 BPM
    melody_lane, dynamics_lane = window.curves.lanes["melody"], window.curves.lanes["dynamics"]
    drag(melody_lane, [lane_point(melody_lane, 1.0, 67), lane_point(melody_lane, 2.9, 67),
                       lane_point(melody_lane, 3.0, 72), lane_point(melody_lane, 5.0, 72),
                       lane_point(melody_lane, 5.1, 70), lane_point(melody_lane, 7.0, 70)])
    window.actions["line"].trigger()
    drag(dynamics_lane, [lane_point(dynamics_lane, 0.2, -36), lane_point(dynamics_lane, 15.8, 0)])
    drawn = window.project.curve("melody")
    assert np.isfinite(drawn).sum() > 400 and {67.0, 72.0, 70.0} <= set(drawn[np.isfinite(drawn)])
    panel = window.generate_panel
    assert "melody" in panel.curves.text() and "dynamics" in panel.curves.text()
    before_tracks, before_curves = len(window.project.tracks), {k: v.copy() for k, v in window.project.curves.items()}

    QTest.mouseClick(panel.button, Qt.MouseButton.LeftButton)
    assert panel.button.text() == "Cancel"
    job = finished(window, qtbot)
    assert job.state == JobState.DONE, job.error
    qtbot.waitUntil(lambda: panel.button.text() == "Generate", timeout=10000)
    project = window.project
    assert [t.name for t in project.tracks] == ["Melody", "Harmony", "Bass", "Drums"]

    melody = project.track_named("Melody")
    assert project.tempo == 120.0 and project.length_bars == 8, "the project's own tempo and length"
    sounding = project_controls(project, track_ids=[melody.id]).melody
    given = np.isfinite(drawn)
    assert np.mean(sounding[given] == drawn[given]) > 0.95, "the melody sounds the drawn pitches"

    pitched = [(project.tick_to_seconds(n.start), n.velocity) for t in project.tracks[:3] for n in t.notes]
    times, velocity = (np.array(x, dtype=np.float64) for x in zip(*pitched))
    level = curve_at(project.curve("dynamics"), times)
    assert np.corrcoef(level, velocity)[0, 1] > 0.6, "velocities follow the drawn crescendo"

    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(window.project.tracks) == before_tracks
    for name, curve in before_curves.items():
        np.testing.assert_array_equal(window.project.curves[name], curve)


def test_variations_are_auditioned_and_cancel_leaves_the_project(window, qtbot):
    panel = window.generate_panel
    panel.variations.setValue(2)
    panel.prompt.setText("calm, bossa nova")
    assert "groove bossa nova" in panel.understood.text()
    for i in range(panel.tracks.count()):
        item = panel.tracks.item(i)
        item.setCheckState(Qt.CheckState.Checked if item.text().startswith("Bass") else Qt.CheckState.Unchecked)
    before = sorted(window.project.track_named("Bass").notes, key=lambda n: (n.start, n.pitch))
    panel.first.setValue(3)
    panel.last.setValue(4)
    QTest.keyClick(window, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    job = finished(window, qtbot)
    assert job.state == JobState.DONE, (job.error, job.detail)
    qtbot.waitUntil(lambda: any(isinstance(w, action.VariationPicker) and w.isVisible()
                                for w in QApplication.topLevelWidgets()), timeout=10000)
    picker = next(w for w in QApplication.topLevelWidgets() if isinstance(w, action.VariationPicker) and w.isVisible())
    assert picker.windowTitle() == "Generate variations"
    first = sorted(window.project.track_named("Bass").notes, key=lambda n: (n.start, n.pitch))
    picker.list.setCurrentRow(1)
    second = sorted(window.project.track_named("Bass").notes, key=lambda n: (n.start, n.pitch))
    assert first != before and second not in (before, first)
    assert all(not 2 * 1920 <= n.start < 4 * 1920 or n in second for n in second)
    picker.reject()
    assert sorted(window.project.track_named("Bass").notes, key=lambda n: (n.start, n.pitch)) == before

    panel.variations.setValue(8)
    panel.first.setValue(1)
    panel.last.setValue(8)
    QTest.mouseClick(panel.button, Qt.MouseButton.LeftButton)
    job = window.generate_state["job"]
    qtbot.waitUntil(lambda: job.fraction > 0.01, timeout=60000)
    QTest.mouseClick(panel.button, Qt.MouseButton.LeftButton)  # now "Cancel"
    assert finished(window, qtbot).state == JobState.CANCELLED
    assert sorted(window.project.track_named("Bass").notes, key=lambda n: (n.start, n.pitch)) == before
    qtbot.waitUntil(lambda: panel.button.text() == "Generate", timeout=10000)
