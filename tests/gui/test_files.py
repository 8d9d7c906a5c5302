"""New, open, save, recent files, autosave and crash recovery, from the window."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from app.autosave import Autosaver
from app.commands import SetProjectProps
from app.projectfile import load_project, save_project
from app.settings import Settings
from tests.gui.factory import demo_project


def test_save_as_then_save_then_reopen(window, tmp_path, monkeypatch):
    target = tmp_path / "song"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.model.push(SetProjectProps(name="My song"))
    assert window.model.modified
    QTest.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    saved = tmp_path / "song.partita"
    assert saved.is_file() and not window.model.modified
    assert load_project(saved).name == "song", "Save As names the project after its file, as a DAW does"
    window.model.push(SetProjectProps(key="A:minor"))
    QTest.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert load_project(saved).key == "A:minor"
    assert window.settings.recent_files[0] == str(saved.resolve())

    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(saved), ""))
    window.files.new()
    assert window.project.name == "Untitled" and not window.project.tracks
    window.actions["open"].trigger()
    assert window.project.name == "song" and len(window.project.tracks) == 5
    assert window.windowTitle() == "Partita — song"


def test_unsaved_changes_are_asked_about(window, answers):
    window.model.push(SetProjectProps(name="Changed"))
    answers["answer"] = QMessageBox.StandardButton.Cancel
    window.files.new()
    assert answers["asked"] == ["Unsaved changes"] and window.project.name == "Changed"
    answers["answer"] = QMessageBox.StandardButton.Discard
    window.files.new()
    assert window.project.name == "Untitled"


def test_opening_a_damaged_file_is_a_message_not_a_crash(window, tmp_path):
    bad = tmp_path / "bad.partita"
    bad.write_bytes(b"not a zip")
    assert not window.files.open_path(bad)
    assert window.banner.isVisible() and "bad.partita" in window.banner.text()
    assert window.project.name == "Demo"


def test_autosave_and_recovery_after_a_crash(make_window, qtbot, answers, isolated_home):
    window = make_window()
    window.model.push(SetProjectProps(name="Unsaved idea"))
    window.files.autosave()
    window.files._autosave_thread.join(5)
    copies = list(Autosaver().directory.glob("*.partita"))
    assert len(copies) == 1 and load_project(copies[0]).name == "Unsaved idea"

    # A crashed session leaves its copy behind: the next window offers it back.
    fresh = make_window(demo_project())
    answers["answer"] = QMessageBox.StandardButton.Yes
    assert fresh.files.offer_recovery()
    assert fresh.project.name == "Unsaved idea" and fresh.model.modified
    assert not any(r.name == "Unsaved idea" for r in fresh.files.autosaver.pending())
    answers["answer"] = QMessageBox.StandardButton.Discard

    # A normal save removes the recovery copy of that session.
    window.files._save_to(isolated_home / "kept.partita")
    assert not window.files.autosaver.project_path.exists()


def test_settings_survive_a_restart(make_window, isolated_home):
    window = make_window()
    window.editor.grid.setCurrentText("1/8T")
    window.close()
    assert Settings.load().grid == "1/8T"
    again = make_window(settings=Settings.load())
    assert again.editor.roll.grid == "1/8T" and again.editor.grid.currentText() == "1/8T"


def test_open_recent_lists_existing_files(window, tmp_path):
    path = tmp_path / "recent.partita"
    save_project(demo_project(), path)
    window.settings.add_recent(path)
    window.settings.add_recent(tmp_path / "gone.partita")
    window.fill_recent_menu()
    entries = [a.text() for a in window.recent_menu.actions()]
    assert entries == [str(Path(path).resolve())]


def test_a_failing_autosave_is_reported_and_retried(make_window, qtbot, answers, isolated_home, monkeypatch):
    window = make_window()
    window.model.push(SetProjectProps(name="Unsaved idea"))
    calls = []

    def full_disk(project, path):
        calls.append(project.name)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(window.files.autosaver, "save", full_disk)
    window.files.autosave()
    window.files._autosave_thread.join(5)
    window.files.autosave()  # the next tick: reports it and tries again
    window.files._autosave_thread.join(5)
    assert "Autosave failed" in window.statusBar().currentMessage()
    assert "No space left" in window.statusBar().currentMessage()
    assert calls == ["Unsaved idea", "Unsaved idea"]
    assert window.project.name == "Unsaved idea" and window.model.modified
