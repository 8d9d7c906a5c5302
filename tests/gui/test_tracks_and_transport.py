"""The track list (rename, reorder, delete, mute, gain, instrument) and the transport's project fields."""
from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from app.roles import GM_NAMES
from tests.gui.conftest import click

ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier


def test_rename_by_double_clicking_the_name(window):
    bass = window.project.track_named("Bass")
    header = window.track_list.headers[bass.id]
    QTest.mouseDClick(header, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                      header.name.geometry().center())
    assert header.name_edit.isVisible()
    header.name_edit.selectAll()
    QTest.keyClicks(header.name_edit, "Sub bass")
    QTest.keyClick(header.name_edit, Qt.Key.Key_Return)
    assert bass.name == "Sub bass" and header.name.text() == "Sub bass"
    window.model.undo()
    assert bass.name == "Bass" and header.name.text() == "Bass"


def test_reorder_and_delete_with_the_keyboard(window):
    names = lambda: [t.name for t in window.project.tracks]  # noqa: E731
    click(window.track_list.headers[window.project.track_named("Bass").id], QPoint(150, 8))
    assert window.model.selected_track().name == "Bass"
    QTest.keyClick(window, Qt.Key.Key_Up, ALT)
    assert names() == ["Melody", "Bass", "Chords", "Drums", "Pad"]
    QTest.keyClick(window, Qt.Key.Key_Down, ALT)
    QTest.keyClick(window, Qt.Key.Key_Down, ALT)
    assert names() == ["Melody", "Chords", "Drums", "Bass", "Pad"]
    QTest.keyClick(window, Qt.Key.Key_Backspace, CTRL)
    assert names() == ["Melody", "Chords", "Drums", "Pad"]
    assert set(window.track_list.headers) == {t.id for t in window.project.tracks}
    QTest.keyClick(window, Qt.Key.Key_Z, CTRL)
    assert names() == ["Melody", "Chords", "Drums", "Bass", "Pad"]


def test_header_controls_edit_the_track(window, qtbot):
    chords = window.project.track_named("Chords")
    header = window.track_list.headers[chords.id]
    header.instrument.setCurrentIndex(len(GM_NAMES))
    header.instrument.activated.emit(len(GM_NAMES))
    assert chords.is_drum
    header.instrument.activated.emit(0)
    assert not chords.is_drum and chords.program == 0
    header.gain.setValue(-65)  # -6.5 dB, committed after the keyboard pause
    qtbot.waitUntil(lambda: chords.gain_db == -6.5, timeout=2000)
    assert header.gain_label.text() == "-6.5 dB"
    click(header.mute, QPoint(5, 5))
    assert chords.muted and header.mute.isChecked()
    window.model.undo()
    assert not chords.muted and not header.mute.isChecked()


def test_add_a_midi_track_and_draw_into_it(window):
    count = len(window.project.tracks)
    QTest.keyClick(window, Qt.Key.Key_T, CTRL)
    assert len(window.project.tracks) == count + 1
    new = window.model.selected_track()
    assert new.kind == "midi" and new.name == "MIDI" and new.color
    assert window.editor.roll.track() is new


def test_tempo_meter_and_key_are_undoable_and_bad_meters_are_messages(window):
    transport = window.transport
    transport.tempo.setValue(90.0)
    assert window.project.tempo == 90.0
    transport.meter.setCurrentText("3/4")
    transport.meter.lineEdit().editingFinished.emit()
    assert str(window.project.time_signature) == "3/4"
    transport.key.setCurrentText("F#:major")
    transport.key.activated.emit(transport.key.currentIndex())
    assert window.project.key == "F#:major"
    transport.meter.setCurrentText("13/5")
    transport.meter.lineEdit().editingFinished.emit()
    assert str(window.project.time_signature) == "3/4" and window.banner.isVisible()
    for _ in range(3):
        window.model.undo()
    assert (window.project.tempo, str(window.project.time_signature), window.project.key) == (100.0, "4/4", "D:minor")
    assert transport.tempo.value() == 100.0 and transport.key.currentText() == "D:minor"


def test_ruler_drag_sets_the_loop(window):
    ruler = window.ruler
    x0, x1 = int(window.axis.tick_to_x(1920)), int(window.axis.tick_to_x(3840))
    QTest.mousePress(ruler, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(x0, 5))
    QTest.mouseMove(ruler, QPoint((x0 + x1) // 2, 5))
    QTest.mouseRelease(ruler, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(x1, 5))
    project = window.project
    assert (project.loop_start, project.loop_end, project.loop_enabled) == (1920, 3840, True)
    QTest.keyClick(window, Qt.Key.Key_L)
    assert not project.loop_enabled and not window.actions["loop"].isChecked()


def test_zoom_keys_change_the_shared_axis(window):
    before = window.axis.pps
    QTest.keyClick(window, Qt.Key.Key_Plus)
    assert window.axis.pps > before
    QTest.keyClick(window, Qt.Key.Key_Minus)
    QTest.keyClick(window, Qt.Key.Key_Minus)
    assert window.axis.pps < before
    roll_x = window.editor.roll.mapTo(window, QPoint(0, 0)).x()
    lane_x = window.curves.lanes["melody"].mapTo(window, QPoint(0, 0)).x()
    stem_x = next(iter(window.track_list.lanes.values())).mapTo(window, QPoint(0, 0)).x()
    assert roll_x == lane_x == stem_x == window.ruler.mapTo(window, QPoint(0, 0)).x(), "every lane starts at the same x"


def test_shortcut_help_and_tooltips_name_the_keys(window):
    from PySide6.QtWidgets import QMessageBox

    QTest.keyClick(window, Qt.Key.Key_F1)
    box = window.findChild(QMessageBox)
    assert box is not None and "Ctrl+Z" in box.text() and "Space" in box.text()
    box.close()
    assert window.actions["play"].toolTip() == "Play / stop (Space)"
    assert "(E)" in window.actions["eraser"].toolTip()


def test_scrolling_over_a_header_changes_nothing(window):
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    keys = window.project.track_named("Chords")
    header = window.track_list.headers[keys.id]
    before = (keys.program, keys.role, keys.gain_db)
    for widget in (header.instrument, header.role, header.gain):
        centre = QPointF(widget.rect().center())
        wheel = QWheelEvent(centre, QPointF(widget.mapToGlobal(centre.toPoint())), QPoint(0, 0), QPoint(0, -120),
                            Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase,
                            False)
        QApplication.sendEvent(widget, wheel)
    assert (keys.program, keys.role, keys.gain_db) == before
