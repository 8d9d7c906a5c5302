"""The window's actions and menus, each with its shortcut named in its tooltip.

Note-editing keys (Delete, Ctrl+A, Ctrl+D, arrows) act on the piano roll and
only while the note editor has focus, so they never fight a text field.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu, QMessageBox

from ui import icons

if TYPE_CHECKING:
    from ui.main_window import MainWindow


def make_action(parent, text: str, slot: Callable | None = None, *, shortcut: str | list[str] | None = None,
                tip: str | None = None, checkable: bool = False, checked: bool = False) -> QAction:
    """A QAction whose tooltip names its shortcut, e.g. "Play / stop (Space)"."""
    action = QAction(text, parent)
    keys = [shortcut] if isinstance(shortcut, str) else list(shortcut or [])
    if keys:
        action.setShortcuts([QKeySequence(k) for k in keys])
    label = (tip or text).replace("&", "").rstrip("…")
    names = ", ".join(QKeySequence(k).toString(QKeySequence.SequenceFormat.NativeText) for k in keys)
    action.setToolTip(f"{label} ({names})" if names else label)
    action.setStatusTip(action.toolTip())
    if checkable:
        action.setCheckable(True)
        action.setChecked(checked)
    if slot is not None:
        action.triggered.connect(lambda _checked=False: slot())
    return action


def build_actions(w: "MainWindow") -> dict[str, QAction]:
    f, roll, tracks = w.files, w.editor.roll, w.track_list
    a = {
        "new": make_action(w, "&New", f.new, shortcut="Ctrl+N", tip="New project"),
        "open": make_action(w, "&Open…", f.open_dialog, shortcut="Ctrl+O",
                            tip="Open a project, MIDI or audio file"),
        "save": make_action(w, "&Save", f.save, shortcut="Ctrl+S"),
        "save_as": make_action(w, "Save &As…", f.save_as, shortcut="Ctrl+Shift+S"),
        "import": make_action(w, "&Import files…", f.import_dialog, shortcut="Ctrl+I",
                              tip="Add MIDI or audio files as tracks (or drop them on the window)"),
        "export": make_action(w, "&Export…", f.export_dialog, shortcut="Ctrl+E",
                              tip="Export MIDI, a mix WAV and stems"),
        "quit": make_action(w, "&Quit", w.close, shortcut="Ctrl+Q"),
        "undo": make_action(w, "&Undo", w.model.undo, shortcut="Ctrl+Z"),
        "redo": make_action(w, "&Redo", w.model.redo, shortcut=["Ctrl+Shift+Z", "Ctrl+Y"]),
        "select_all": make_action(w, "Select all notes", roll.select_all, shortcut="Ctrl+A"),
        "duplicate": make_action(w, "Duplicate notes", roll.duplicate, shortcut="Ctrl+D"),
        "delete_notes": make_action(w, "Delete notes", roll.delete_selection, shortcut=["Delete", "Backspace"]),
        "nudge_left": make_action(w, "Nudge left", lambda: roll.nudge(-1), shortcut="Left"),
        "nudge_right": make_action(w, "Nudge right", lambda: roll.nudge(1), shortcut="Right"),
        "up": make_action(w, "Transpose up", lambda: roll.transpose(1), shortcut="Up"),
        "down": make_action(w, "Transpose down", lambda: roll.transpose(-1), shortcut="Down"),
        "octave_up": make_action(w, "Octave up", lambda: roll.transpose(12), shortcut="Ctrl+Up"),
        "octave_down": make_action(w, "Octave down", lambda: roll.transpose(-12), shortcut="Ctrl+Down"),
        "bar_left": make_action(w, "Move a bar left", lambda: roll.move_bars(-1), shortcut="Ctrl+Left"),
        "bar_right": make_action(w, "Move a bar right", lambda: roll.move_bars(1), shortcut="Ctrl+Right"),
        "zoom_in": make_action(w, "Zoom in", lambda: w.axis.zoom(1.5), shortcut=["+", "=", "Ctrl++"]),
        "zoom_out": make_action(w, "Zoom out", lambda: w.axis.zoom(1 / 1.5), shortcut=["-", "Ctrl+-"]),
        "zoom_fit": make_action(w, "Zoom to project", w.zoom_to_fit, shortcut="Ctrl+0"),
        "play": make_action(w, "Play", w.player.toggle, shortcut="Space", tip="Play / stop"),
        "to_start": make_action(w, "Go to start", w.player.to_start, shortcut="Home", tip="Go to start"),
        "loop": make_action(w, "Loop", w.toggle_loop, shortcut="L", tip="Loop on/off", checkable=True),
        "follow": make_action(w, "Follow", w.set_follow, shortcut="F", tip="Follow the playhead",
                              checkable=True, checked=w.settings.follow_playhead),
        "add_track": make_action(w, "Add MIDI track", w.add_midi_track, shortcut="Ctrl+T"),
        "rename_track": make_action(w, "Rename track", lambda: tracks.start_rename(w.model.selected_track_id),
                                    shortcut="F2"),
        "track_up": make_action(w, "Move track up", lambda: tracks.move_track(w.model.selected_track_id, -1),
                                shortcut="Alt+Up"),
        "track_down": make_action(w, "Move track down", lambda: tracks.move_track(w.model.selected_track_id, 1),
                                  shortcut="Alt+Down"),
        "delete_track": make_action(w, "Delete track", lambda: tracks.delete_track(w.model.selected_track_id),
                                    shortcut="Ctrl+Backspace"),
        "jobs": make_action(w, "Jobs panel", w.toggle_jobs, shortcut="Ctrl+J", tip="Show the jobs panel"),
        "shortcuts": make_action(w, "Keyboard shortcuts", w.show_shortcuts, shortcut="F1"),
        "about": make_action(w, "About Partita", w.show_about),
    }
    a.update(_tool_actions(w))
    for name, make_icon in (("play", icons.play), ("to_start", icons.to_start), ("loop", icons.loop),
                            ("follow", icons.follow)):
        a[name].setIcon(make_icon())
    return a


def _tool_actions(w: "MainWindow") -> dict[str, QAction]:
    roll, curves = w.editor.roll, w.curve_tools
    note_group, curve_group = QActionGroup(w), QActionGroup(w)
    out = {
        "select": make_action(w, "Select", lambda: roll.set_tool("select"), shortcut="V",
                              tip="Select tool: click, drag, rubber band", checkable=True, checked=True),
        "draw": make_action(w, "Draw", lambda: roll.set_tool("draw"), shortcut="B",
                            tip="Draw tool: drag to draw notes", checkable=True),
        "pencil": make_action(w, "Pencil", lambda: curves.set("pencil"), shortcut="P",
                              tip="Pencil: draw a curve freehand", checkable=True, checked=True),
        "line": make_action(w, "Line", lambda: curves.set("line"), shortcut="N",
                            tip="Line: drag a straight ramp", checkable=True),
        "eraser": make_action(w, "Eraser", lambda: curves.set("eraser"), shortcut="E",
                              tip="Eraser: make a span unspecified again", checkable=True),
    }
    for name in ("select", "draw"):
        note_group.addAction(out[name])
    for name in ("pencil", "line", "eraser"):
        curve_group.addAction(out[name])
    roll.tool_changed.connect(lambda tool: out[tool].setChecked(True))
    curves.changed.connect(lambda tool: out[tool].setChecked(True))
    return out


NOTE_KEYS = ("select_all", "duplicate", "delete_notes", "nudge_left", "nudge_right", "up", "down",
             "octave_up", "octave_down", "bar_left", "bar_right")

MENUS = {
    "&File": ["new", "open", "recent", "-", "save", "save_as", "-", "import", "export", "-", "quit"],
    "&Edit": ["undo", "redo", "-", *NOTE_KEYS],
    "&View": ["zoom_in", "zoom_out", "zoom_fit", "-", "follow", "jobs"],
    "&Track": ["add_track", "rename_track", "track_up", "track_down", "-", "delete_track"],
    "Trans&port": ["play", "to_start", "loop"],
    "&Tools": ["select", "draw", "-", "pencil", "line", "eraser"],
}


@dataclass(frozen=True)
class Menus:
    """The menus the window fills later: recent files, and the engines' actions (with the
    disabled hint line shown until the first engine action arrives)."""

    recent: QMenu
    engines: QMenu
    engines_hint: QAction


def build_menus(w: "MainWindow") -> Menus:
    """The menu bar from ``MENUS`` and ``w.actions``; returns the menus the window fills later."""
    bar = w.menuBar()
    recent: QMenu | None = None
    for title, names in MENUS.items():
        menu = bar.addMenu(title)
        for name in names:
            if name == "-":
                menu.addSeparator()
            elif name == "recent":
                recent = menu.addMenu("Open &Recent")
                recent.aboutToShow.connect(w.fill_recent_menu)
            else:
                menu.addAction(w.actions[name])
    assert recent is not None, "MENUS has a recent-files entry"
    engines = bar.addMenu("E&ngines")
    hint = engines.addAction("Engine actions (controls, infill, …) appear here")
    hint.setEnabled(False)
    help_menu = bar.addMenu("&Help")
    help_menu.addAction(w.actions["shortcuts"])
    help_menu.addAction(w.actions["about"])
    for name in NOTE_KEYS:
        action = w.actions[name]
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        w.editor.addAction(action)
    return Menus(recent, engines, hint)


def fill_recent_menu(w: "MainWindow") -> None:
    w.recent_menu.clear()
    recent = w.settings.existing_recent()
    for path in recent:
        w.recent_menu.addAction(path, lambda p=path: w.files.open_path(Path(p)))
    if not recent:
        w.recent_menu.addAction("No recent files").setEnabled(False)


def show_shortcuts(w: "MainWindow") -> None:
    """A table of every action with a shortcut."""
    rows = []
    for action in [*w.actions.values(), *w.engines_menu.actions()]:
        if not action.shortcut().isEmpty():
            keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            rows.append(f"<tr><td>{action.text().replace('&', '')}</td><td><b>{keys}</b></td></tr>")
    box = QMessageBox(w)
    box.setWindowTitle("Keyboard shortcuts")
    box.setText("<table cellspacing=4>" + "".join(rows) + "</table>")
    box.open()


def show_about(w: "MainWindow") -> None:
    QMessageBox.about(w, "About Partita", "Partita — sketch melody, dynamics and rhythm; infill, "
                      "render and export multi-track music for your DAW.")
