"""Edit ▸ "Command bar…" (Ctrl+K): edits in plain English (see ``ui.command_bar``)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMenu

from ui.command_bar import CommandBar
from ui.menus import make_action

if TYPE_CHECKING:
    from ui.main_window import MainWindow

SHORTCUT = "Ctrl+K"
"""Free in the window (F1 lists the others); a DAW's command palette key."""


def install(window: "MainWindow") -> None:
    bar = CommandBar(window)
    action = make_action(window, "Command bar…", bar.open, shortcut=SHORTCUT,
                         tip="Edit in plain words: type, see the plan, apply, undo")
    window.addAction(action)
    window.actions["command_bar"] = action
    menu = _menu(window, "Edit")
    if menu is not None:
        menu.addSeparator()
        menu.addAction(action)


def _menu(window: "MainWindow", title: str) -> QMenu | None:
    for entry in window.menuBar().actions():
        if entry.menu() is not None and entry.text().replace("&", "") == title:
            return entry.menu()
    return None


def command_bar(window: "MainWindow") -> CommandBar:
    """The window's command bar."""
    bar = window.findChild(CommandBar)
    assert bar is not None, "ui.actions.instruct was not installed"
    return bar
