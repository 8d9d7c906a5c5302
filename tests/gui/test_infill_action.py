"""Engines ▸ Infill…: tracks and bars chosen in the dialog, one undo step, variations, cancel.

Needs the GUI (ui.main_window and tests/gui/conftest.py); skipped where it is absent.
"""
from __future__ import annotations

import pytest

pytest.importorskip("ui.main_window")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QDialog  # noqa: E402

from app.commands import SetProjectProps  # noqa: E402
from app.infill import InfillRequest  # noqa: E402
from app.jobs import JobState  # noqa: E402
from ui.actions import infill as action  # noqa: E402

BAR = 1920


def notes(window, name):
    return sorted(window.project.track_named(name).notes, key=lambda n: (n.start, n.pitch))


def infill_action(window):
    found = [a for a in window.engines_menu.actions() if a.text() == "Infill…"]
    assert len(found) == 1
    return found[0]


def fill_dialog(monkeypatch, *, tracks, bars, variations=1, seed=0):
    """Answer the dialog like a user: tick ``tracks``, type the bars and settings, press OK."""
    seen = {}

    def exec_(dialog):
        seen["offered"] = [dialog.tracks.item(i).text() for i in range(dialog.tracks.count())]
        seen["ticked"] = list(dialog.chosen())
        for i in range(dialog.tracks.count()):
            item = dialog.tracks.item(i)
            wanted = item.text().split(" (")[0] in tracks
            item.setCheckState(Qt.CheckState.Checked if wanted else Qt.CheckState.Unchecked)
        for box, value in ((dialog.first, bars[0]), (dialog.last, bars[1]), (dialog.variations, variations),
                           (dialog.seed, seed)):
            box.selectAll()
            QTest.keyClicks(box, str(value))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(action.InfillDialog, "exec", exec_)
    return seen


def finished(window, qtbot):
    qtbot.waitUntil(lambda: not window.jobs.runner.active(), timeout=60000)
    return window.jobs.runner.jobs[-1]


def test_infill_rewrites_the_chosen_bars_of_the_chosen_track_as_one_undo_step(window, qtbot, monkeypatch):
    chords = window.project.track_named("Chords")
    window.model.select_track(chords.id)
    seen = fill_dialog(monkeypatch, tracks={"Chords"}, bars=(3, 4))
    before = {t.name: notes(window, t.name) for t in window.project.midi_tracks()}
    infill_action(window).trigger()
    job = finished(window, qtbot)
    assert job.state == JobState.DONE, job.error
    stack = window.model.document.undo_stack
    qtbot.waitUntil(lambda: stack.undo_label == "Infill Chords bars 3-4", timeout=10000)
    assert any("Drums" in label for label in seen["offered"]) and seen["ticked"] == [chords.id]
    after = notes(window, "Chords")
    outside = lambda ns: [n for n in ns if not 2 * BAR <= n.start < 4 * BAR]  # noqa: E731
    assert outside(after) == outside(before["Chords"]) and after != before["Chords"]
    for name in ("Melody", "Bass", "Drums"):
        assert notes(window, name) == before[name]
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert notes(window, "Chords") == before["Chords"]


def test_the_drums_are_offered_and_infilled_with_drum_notes(window, qtbot, monkeypatch):
    from engines.compose.drums import HIGHEST, LOWEST

    fill_dialog(monkeypatch, tracks={"Drums"}, bars=(2, 3))
    before = {t.name: notes(window, t.name) for t in window.project.midi_tracks()}
    infill_action(window).trigger()
    assert finished(window, qtbot).state == JobState.DONE
    stack = window.model.document.undo_stack
    qtbot.waitUntil(lambda: stack.undo_label == "Infill Drums bars 2-3", timeout=10000)
    new = [n for n in notes(window, "Drums") if BAR <= n.start < 3 * BAR]
    assert new and all(LOWEST <= n.pitch <= HIGHEST for n in new)
    assert all(notes(window, name) == before[name] for name in ("Melody", "Bass", "Chords"))
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert notes(window, "Drums") == before["Drums"]


def test_variations_can_be_auditioned_then_kept_or_discarded(window, qtbot, monkeypatch):
    fill_dialog(monkeypatch, tracks={"Melody"}, bars=(5, 6), variations=3, seed=4)
    before = notes(window, "Melody")
    infill_action(window).trigger()
    assert finished(window, qtbot).state == JobState.DONE
    qtbot.waitUntil(lambda: any(isinstance(w, action.VariationPicker) and w.isVisible()
                                for w in QApplication.topLevelWidgets()), timeout=10000)
    picker = next(w for w in QApplication.topLevelWidgets() if isinstance(w, action.VariationPicker))
    first = notes(window, "Melody")
    picker.list.setCurrentRow(2)
    third = notes(window, "Melody")
    assert first != before and third not in (before, first)
    assert window.model.undo() and notes(window, "Melody") == before, "one variation is one undo step"
    window.model.redo()
    picker.reject()
    assert notes(window, "Melody") == before
    picker2_request = InfillRequest(track_ids=(window.project.track_named("Melody").id,), bars=(5, 6),
                                    variations=2, seed=4)
    action.start(window, picker2_request)
    finished(window, qtbot)
    qtbot.waitUntil(lambda: sum(isinstance(w, action.VariationPicker) and w.isVisible()
                                for w in QApplication.topLevelWidgets()) == 1, timeout=10000)
    picker = next(w for w in QApplication.topLevelWidgets() if isinstance(w, action.VariationPicker) and w.isVisible())
    picker.accept()
    assert notes(window, "Melody") == first, "variation 1 of seed 4 again, kept"


def test_cancel_leaves_the_project_and_an_empty_choice_is_a_message(window, qtbot, monkeypatch):
    window.model.push(SetProjectProps(length_bars=64))
    request = InfillRequest(track_ids=tuple(t.id for t in window.project.midi_tracks() if not t.is_drum),
                            bars=(1, 64), variations=4)
    before = {t.name: notes(window, t.name) for t in window.project.midi_tracks()}
    job = action.start(window, request)
    qtbot.waitUntil(lambda: job.fraction > 0.02, timeout=30000)
    window.jobs.runner.cancel(job)
    assert finished(window, qtbot).state == JobState.CANCELLED
    assert {t.name: notes(window, t.name) for t in window.project.midi_tracks()} == before
    assert action.start(window, InfillRequest(track_ids=())) is None
    assert "tick at least one track" in window.banner.text()
