"""Separate into stems in the window: Shift-drop a mix, get four stem tracks summing to it, undo them;
the track menu offers it on audio tracks; a stem drags out like any track."""
from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf

pytest.importorskip("ui.main_window")

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl  # noqa: E402
from PySide6.QtGui import QDragEnterEvent, QDropEvent  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.jobs import JobState  # noqa: E402
from engines.separate import SOURCES  # noqa: E402
from tests.separate_helpers import known_mix  # noqa: E402
from ui.dnd import drag_file_for  # noqa: E402


def shift_drop(window, path):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    shift, action = Qt.KeyboardModifier.ShiftModifier, Qt.DropAction.CopyAction
    QApplication.sendEvent(window, QDragEnterEvent(QPoint(400, 300), action, mime, Qt.MouseButton.LeftButton,
                                                   shift))
    drop = QDropEvent(QPointF(400, 300), action, mime, Qt.MouseButton.LeftButton, shift)
    QApplication.sendEvent(window, drop)
    return drop.isAccepted()


def finished(window, qtbot):
    qtbot.waitUntil(lambda: not window.jobs.runner.active(), timeout=120000)
    return window.jobs.runner.jobs[-1]


def test_shift_drop_separates_a_mix_into_four_stems_and_undo_removes_them(window, qtbot, tmp_path):
    mix, _ = known_mix(2.0, window.project.sample_rate)
    path = tmp_path / "mix.wav"
    sf.write(str(path), mix.T, window.project.sample_rate, subtype="FLOAT")
    before = [t.id for t in window.project.tracks]
    assert shift_drop(window, path)
    job = finished(window, qtbot)
    assert job.state == JobState.DONE, job.error
    qtbot.waitUntil(lambda: len(window.project.tracks) == len(before) + 5, timeout=10000)
    source = window.project.track_named("mix")
    stems = window.project.grouped_under(source.id)
    assert [t.name for t in stems] == [f"mix {s}" for s in SOURCES]
    assert source.muted and not any(t.muted for t in stems)
    assert np.abs(sum(t.samples for t in stems) - source.samples).max() < 1e-4
    assert window.track_list.headers[stems[0].id].name.text().startswith("↳")
    dragged = drag_file_for(window.project, stems[0], tmp_path / "out")
    assert sf.info(str(dragged)).frames == mix.shape[1]
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [t.id for t in window.project.tracks] == before


def test_the_track_menu_separates_audio_tracks_only(window, qtbot):
    audio = window.project.audio_tracks()[0]
    midi = window.project.midi_tracks()[0]
    entries = [a.text() for a in window.track_list.build_menu(midi.id).actions()]
    assert "Separate into stems" not in entries
    menu = window.track_list.build_menu(audio.id)
    action = next(a for a in menu.actions() if a.text() == "Separate into stems")
    count = len(window.project.tracks)
    action.trigger()
    job = finished(window, qtbot)
    assert job.state == JobState.DONE, job.error
    qtbot.waitUntil(lambda: len(window.project.tracks) == count + 4, timeout=10000)
    assert audio.muted and len(window.project.grouped_under(audio.id)) == 4
    assert window.model.document.undo_stack.undo_label == f"Separate {audio.name}"
