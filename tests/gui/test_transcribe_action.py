"""Transcribe to MIDI in the window: an audio track's menu writes its notes into a new MIDI track
beside it, the piano roll shows them, and one Ctrl+Z takes them away."""
from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("ui.main_window")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QInputDialog  # noqa: E402

from app.jobs import JobState  # noqa: E402
from app.project import AudioTrack, MidiTrack  # noqa: E402
from engines.common import Note  # noqa: E402
from tests import synth  # noqa: E402
from tests.gui.factory import demo_project  # noqa: E402
from ui.actions import transcribe as action  # noqa: E402

SCALE = (62, 64, 65, 67, 69, 70, 72, 74)


@pytest.fixture
def scale_window(make_window):
    """The demo project whose audio track plays a D minor scale, one note per beat from beat 2."""
    project = demo_project()
    audio = project.audio_tracks()[0]
    beat = 60.0 / project.tempo
    notes = [Note(p, beat * (1 + i), beat * 0.9, 100) for i, p in enumerate(SCALE)]
    mono = synth.render(notes, project.sample_rate, audio.seconds(project.sample_rate), timbre=synth.PIANO)
    audio.samples = np.stack([mono, mono])
    audio.name = "Lead"
    return make_window(project)


def finished(window, qtbot):
    qtbot.waitUntil(lambda: not window.jobs.runner.active(), timeout=120000)
    return window.jobs.runner.jobs[-1]


def test_the_track_menu_transcribes_into_the_piano_roll_and_undo_removes_it(scale_window, qtbot):
    window = scale_window
    audio = window.project.audio_tracks()[0]
    before = [t.id for t in window.project.tracks]
    midi = window.project.midi_tracks()[0]
    assert action.TITLE not in [a.text() for a in window.track_list.build_menu(midi.id).actions()]
    menu = window.track_list.build_menu(audio.id)
    next(a for a in menu.actions() if a.text() == action.TITLE).trigger()
    job = finished(window, qtbot)
    assert job.state == JobState.DONE, job.error
    qtbot.waitUntil(lambda: len(window.project.tracks) == len(before) + 1, timeout=10000)
    index = [t.id for t in window.project.tracks].index(audio.id)
    added = window.project.tracks[index + 1]
    assert isinstance(added, MidiTrack) and added.name == "Lead MIDI" and added.role == "melody"
    qtbot.waitUntil(lambda: window.editor.roll.track() is added, timeout=5000)
    shown = window.editor.roll.index()
    order = np.argsort(shown.start)
    assert shown.pitch[order].tolist() == list(SCALE)
    beat = 480
    assert np.abs(shown.start[order] - beat * (1 + np.arange(len(SCALE)))).max() < beat * 0.15
    assert window.model.document.undo_stack.undo_label == "Transcribe Lead (melody, chosen from its name)"
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [t.id for t in window.project.tracks] == before
    assert window.editor.roll.track() is not added


def test_the_engines_menu_asks_for_the_track_and_the_kind(scale_window, qtbot, monkeypatch):
    window = scale_window
    answers = iter([("Track: Lead", True), ("Bass line", True)])
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: next(answers))
    entry = next(a for a in window.engines_menu.actions() if a.text() == f"{action.TITLE}…")
    entry.trigger()
    job = finished(window, qtbot)
    assert job.state == JobState.DONE, job.error
    qtbot.waitUntil(lambda: window.model.document.undo_stack.undo_label == "Transcribe Lead (bass)",
                    timeout=10000)
    added = window.project.track_named("Lead MIDI")
    assert isinstance(added, MidiTrack) and added.role == "bass" and added.program == 33


def test_without_audio_tracks_the_menu_says_so(make_window, qtbot):
    project = demo_project()
    project.tracks = [t for t in project.tracks if not isinstance(t, AudioTrack)]
    window = make_window(project)
    assert action.start(window) is None
    assert "no audio track" in window.banner.text()
