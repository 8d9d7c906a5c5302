"""Engines ▸ Extract controls from…: fills the curve lanes from a track or a file, undoably.

Needs the GUI (ui.main_window and tests/gui/conftest.py); skipped where it is absent.
"""
from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("ui.main_window")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QFileDialog, QInputDialog  # noqa: E402

from app.jobs import JobState  # noqa: E402
from engines.common import CONTROL_FRAME_RATE  # noqa: E402
from ui.actions import MODULES  # noqa: E402
from ui.actions import controls as action  # noqa: E402


def extract_action(window):
    if "controls" not in MODULES:
        action.install(window)
    found = [a for a in window.engines_menu.actions() if a.text().startswith("Extract controls")]
    assert len(found) == 1
    return found[0]


def answer(monkeypatch, label: str, path: str = "") -> list[list[str]]:
    """Make the source dialog answer ``label`` (and the file dialog ``path``); returns what
    was offered, the preselected entry last in each list."""
    offered: list[list[str]] = []

    def get_item(parent, title, text, items, current=0, editable=True, *args, **kwargs):
        offered.append(list(items) + [items[current]])
        return label, True

    monkeypatch.setattr(QInputDialog, "getItem", get_item)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (path, ""))
    return offered


def finished(window, qtbot):
    qtbot.waitUntil(lambda: not window.jobs.runner.active(), timeout=60000)
    return window.jobs.runner.jobs[-1]


def applied(window, qtbot, label: str) -> None:
    """Wait for the job's command to be pushed (on the GUI thread, after the job ends)."""
    stack = window.model.document.undo_stack
    qtbot.waitUntil(lambda: stack.undo_label == label, timeout=10000)


def test_extract_from_a_track_fills_the_lanes_and_undoes(window, qtbot, monkeypatch):
    lead = next(t for t in window.project.midi_tracks() if t.role == "melody")
    window.model.select_track(lead.id)
    offered = answer(monkeypatch, action.track_label(lead))
    before = {name: window.project.curve(name) for name in ("melody", "dynamics", "rhythm")}
    extract_action(window).trigger()
    job = finished(window, qtbot)
    assert job.state == JobState.DONE, job.error
    applied(window, qtbot, f"Extract controls from {lead.name}")
    assert action.FROM_FILE in offered[0] and offered[0][-1] == action.track_label(lead)
    melody = window.project.curve("melody")
    first = min(lead.notes, key=lambda n: n.start)
    frame = int(np.ceil(window.project.tick_to_seconds(first.start) * CONTROL_FRAME_RATE)) + 1
    assert melody[frame] == first.pitch
    assert np.isfinite(window.project.curve("dynamics")).all()
    assert np.nanmax(window.project.curve("rhythm")) > 0
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    for name, curve in before.items():
        np.testing.assert_array_equal(window.project.curve(name), curve)


def test_extract_from_an_audio_file(window, qtbot, monkeypatch, tmp_path):
    from tests.helpers import write_wav

    wav = write_wav(tmp_path / "reference.wav", 3.0, freq=440.0)
    answer(monkeypatch, action.FROM_FILE, str(wav))
    extract_action(window).trigger()
    job = finished(window, qtbot)
    assert job.state == JobState.DONE, job.error
    applied(window, qtbot, "Extract controls from reference.wav")
    melody = window.project.curve("melody")
    sounding = melody[int(0.5 * CONTROL_FRAME_RATE): int(2.5 * CONTROL_FRAME_RATE)]
    assert np.all(np.mod(sounding, 12) == 9), "A, placed in the melody's register"


def test_a_bad_file_is_a_message_and_cancel_leaves_the_project(window, qtbot, monkeypatch, tmp_path):
    bad = tmp_path / "broken.wav"
    bad.write_bytes(b"not audio")
    answer(monkeypatch, action.FROM_FILE, str(bad))
    extract_action(window).trigger()
    job = finished(window, qtbot)
    assert job.state == JobState.FAILED and "broken.wav" in job.error
    assert not window.model.modified

    rng = np.random.default_rng(0)
    import soundfile as sf

    long_wav = tmp_path / "long.wav"
    sf.write(long_wav, (0.1 * rng.standard_normal((60 * 44100, 2))).astype(np.float32), 44100)
    job = action.start(window, (None, str(long_wav)))
    qtbot.waitUntil(lambda: job.fraction > 0.05, timeout=30000)
    window.jobs.runner.cancel(job)
    job = finished(window, qtbot)
    assert job.state == JobState.CANCELLED
    assert not window.model.modified
