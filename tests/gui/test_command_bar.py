"""The command bar: Ctrl+K opens it, typing shows the plan, Enter applies it as one undo step,
Undo takes it back, refusals say why, and past instructions come back with Up."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from ui.actions.instruct import command_bar


def names(window) -> list[str]:
    return [t.name for t in window.project.tracks]


def open_bar(window, qtbot):
    QTest.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    bar = command_bar(window)
    qtbot.waitUntil(bar.isVisible)
    return bar


def test_type_see_the_plan_apply_and_undo(window, qtbot):
    before = names(window)
    bar = open_bar(window, qtbot)
    assert bar.input.hasFocus()
    qtbot.keyClicks(bar.input, "remove the drums and transpose the melody up an octave")
    qtbot.waitUntil(lambda: bar.steps.count() == 2)
    assert [bar.steps.item(i).text() for i in range(2)] == [
        "1. Remove track Drums", "2. Transpose Melody up 12 semitones, all bars"]
    pitches = sorted(n.pitch for n in window.project.track_named("Melody").notes)
    QTest.keyClick(bar.input, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Drums" not in names(window), timeout=20000)
    assert names(window) == [n for n in before if n != "Drums"]
    assert sorted(n.pitch for n in window.project.track_named("Melody").notes) == [p + 12 for p in pitches]
    assert "Done" in bar.status.text()
    qtbot.mouseClick(bar.undo_button, Qt.MouseButton.LeftButton)
    assert names(window) == before, "one undo takes the whole instruction back"
    assert sorted(n.pitch for n in window.project.track_named("Melody").notes) == pitches


def test_a_refusal_says_why_and_nothing_can_be_applied(window, qtbot):
    bar = open_bar(window, qtbot)
    qtbot.keyClicks(bar.input, "add reverb to the melody")
    qtbot.waitUntil(bar.refusal.isVisible)
    assert "no audio effects" in bar.refusal.text() and "I can:" in bar.refusal.text()
    assert not bar.apply_button.isEnabled()
    QTest.keyClick(bar.input, Qt.Key.Key_Return)
    assert not window.model.document.undo_stack.can_undo


def test_history_of_past_instructions(window, qtbot):
    bar = open_bar(window, qtbot)
    qtbot.keyClicks(bar.input, "mute the bass")
    qtbot.waitUntil(lambda: bar.steps.count() == 1)
    QTest.keyClick(bar.input, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.project.track_named("Bass").muted, timeout=20000)
    bar.input.clear()
    bar.replan()
    assert bar.steps.item(0).text() == "↺ mute the bass"
    QTest.keyClick(bar.input, Qt.Key.Key_Up)
    assert bar.input.text() == "mute the bass"
    assert window.settings.instruction_history == ["mute the bass"]
    QTest.keyClick(bar.input, Qt.Key.Key_Escape)
    assert not bar.isVisible()


def test_ctrl_k_is_in_the_edit_menu_and_the_shortcut_list(window):
    action = window.actions["command_bar"]
    assert action.shortcut().toString() == "Ctrl+K"
    shortcuts = [a.shortcut().toString() for name, a in window.actions.items() if name != "command_bar"]
    assert "Ctrl+K" not in shortcuts
    edit = next(a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "Edit")
    assert action in edit.actions()


def test_an_engine_step_runs_as_a_job_and_undoes_in_one_step(window, qtbot):
    before = names(window)
    bar = open_bar(window, qtbot)
    qtbot.keyClicks(bar.input, "add a cello counter melody in bars 1-2")
    qtbot.waitUntil(lambda: bar.steps.count() == 2)
    QTest.keyClick(bar.input, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Cello" in names(window), timeout=120000)
    cello = window.project.track_named("Cello")
    assert cello.notes and all(n.start < 2 * 1920 for n in cello.notes)
    assert window.model.document.undo_stack.undo_label == "Edit: add a cello counter melody in bars 1-2"
    qtbot.mouseClick(bar.undo_button, Qt.MouseButton.LeftButton)
    assert names(window) == before


def test_the_plan_follows_the_open_document(window, qtbot):
    from app.document import Document
    from app.project import MidiTrack, Project, Role

    bar = open_bar(window, qtbot)
    qtbot.keyClicks(bar.input, "mute the strings")
    qtbot.waitUntil(bar.refusal.isVisible)
    window.model.set_document(Document(Project(tracks=[MidiTrack("Strings", role=Role.HARMONY, program=48)])))
    assert [bar.steps.item(i).text() for i in range(bar.steps.count())] == ["1. Mute Strings"]
