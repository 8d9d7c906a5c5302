"""Menu entries for the catalogue's plain edits (``app.catalogue``: transpose, quantise, tempo, ...).

Every operation with a ``build`` and a ``menu`` path ("Edit/Transpose…") gets
an entry in that menu, unless the window already has one there (Track ▸ Add
MIDI track). Choosing it opens an ``OperationDialog`` on the live project,
with the selected track and the loop region's bars filled in; OK pushes the
operation's command as one undo step.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QMenu

from app.catalogue import Operation, operations
from app.operations import bars_of_span
from ui.operation_dialog import OperationDialog

if TYPE_CHECKING:
    from ui.main_window import MainWindow


def plain(text: str) -> str:
    """A menu text without its mnemonic ampersand."""
    return text.replace("&", "")


def menu_named(window: "MainWindow", title: str) -> QMenu | None:
    for action in window.menuBar().actions():
        menu = action.menu()
        if menu is not None and plain(action.text()) == title:
            return menu
    return None


def install(window: "MainWindow") -> None:
    separated: set[str] = set()
    for op in operations().values():
        if not (op.build and op.menu):
            continue
        title, _, text = op.menu.partition("/")
        menu = menu_named(window, title)
        if menu is None or any(plain(a.text()) == text for a in menu.actions()):
            continue
        if title not in separated:
            menu.addSeparator()
            separated.add(title)
        action = QAction(text, window)
        action.setToolTip(op.summary)
        action.setStatusTip(op.summary)
        action.triggered.connect(lambda _checked=False, op=op: start(window, op))
        menu.addAction(action)


def dialog_for(window: "MainWindow", op: Operation) -> OperationDialog:
    selected = window.model.selected_track()
    span = window.selected_span()
    bars = bars_of_span(window.project, span) if span is not None else None
    return OperationDialog(op, window.project, track_id=selected.id if selected else None, bars=bars,
                           parent=window)


def start(window: "MainWindow", op: Operation) -> None:
    """Ask for the op's parameters, then apply it as one undo step."""
    dialog = dialog_for(window, op)
    if dialog.exec() == QDialog.DialogCode.Accepted and dialog.command is not None:
        if window.model.push(dialog.command):
            window.show_message(f"{dialog.command.label} (Ctrl+Z undoes it)")
