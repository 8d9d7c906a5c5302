"""The catalogue against the window's real menus, and a catalogue edit driven through its dialog."""
from __future__ import annotations

import pytest

pytest.importorskip("ui.main_window")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QDialog, QMenu  # noqa: E402

from app import catalogue  # noqa: E402
from ui.operation_dialog import OperationDialog  # noqa: E402


def menu_paths(window) -> set[str]:
    """"File/Open…", "Edit/Transpose…", ... for every action in the menu bar (submenus too)."""
    out: set[str] = set()

    def walk(menu: QMenu, prefix: str) -> None:
        for action in menu.actions():
            text = action.text().replace("&", "")
            if action.menu() is not None:
                walk(action.menu(), f"{prefix}{text}/")
            elif text:
                out.add(prefix + text)

    for action in window.menuBar().actions():
        walk(action.menu(), action.text().replace("&", "") + "/")
    return out


def test_every_operation_is_in_the_menus_or_says_why(window):
    paths = menu_paths(window)
    for op in catalogue.operations().values():
        if op.menu is None:
            assert op.why_not, op.name
        else:
            assert op.menu in paths, f"{op.name}: no menu entry {op.menu!r}"


def answer(monkeypatch, fill):
    """Answer the next OperationDialog like a user: ``fill(dialog)``, then OK."""
    seen = {}

    def exec_(dialog):
        seen["dialog"] = dialog
        fill(dialog)
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(OperationDialog, "exec", exec_)
    return seen


def trigger(window, path):
    title, text = path.split("/")
    menu = next(a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == title)
    next(a for a in menu.actions() if a.text() == text).trigger()


def test_transpose_from_the_edit_menu_is_one_undo_step(window, monkeypatch):
    lead = window.project.track_named("Melody")
    window.model.select_track(lead.id)
    before = sorted(n.pitch for n in lead.notes)

    def fill(dialog):
        tracks = dialog.fields["tracks"]
        ticked = [tracks.item(i).text() for i in range(tracks.count())
                  if tracks.item(i).checkState() == Qt.CheckState.Checked]
        assert ticked == ["Melody"]  # the selected track comes ticked
        dialog.fields["semitones"].setValue(5)

    answer(monkeypatch, fill)
    trigger(window, "Edit/Transpose…")
    assert sorted(n.pitch for n in lead.notes) == [p + 5 for p in before]
    window.actions["undo"].trigger()
    assert sorted(n.pitch for n in lead.notes) == before


def test_a_bad_value_keeps_the_dialog_open_with_the_reason(window, monkeypatch):
    seen = answer(monkeypatch, lambda d: d.fields["bars"].setText("9-3"))
    before = [list(t.notes) for t in window.project.midi_tracks()]
    trigger(window, "Edit/Quantise…")
    dialog = seen["dialog"]
    assert dialog.result() != QDialog.DialogCode.Accepted and dialog.command is None
    assert "bars" in dialog.problem.text()
    assert [list(t.notes) for t in window.project.midi_tracks()] == before
