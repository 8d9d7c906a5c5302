"""Starting the GUI: the Qt application, the theme, the window and crash-safe error handling.

``run(document)`` blocks until the window closes and returns an exit code.
An exception escaping a Qt slot is shown in the window as a message (and
printed to stderr), never a crash; autosave keeps the work.
"""
from __future__ import annotations

import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.document import Document
from app.settings import Settings
from ui import theme
from ui.main_window import MainWindow


def application() -> QApplication:
    """The QApplication (created once), themed."""
    app = QApplication.instance()
    if app is None:
        QApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(sys.argv[:1])
        app.setApplicationName("Partita")
        app.setOrganizationName("Partita")
        app.setApplicationDisplayName("Partita")
        theme.apply(app)
    return app  # type: ignore[return-value]


def install_error_hook(window: MainWindow) -> None:
    """Show unexpected exceptions in ``window`` instead of letting them end the app."""
    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        traceback.print_exception(kind, value, tb)
        if isinstance(value, KeyboardInterrupt):
            QApplication.quit()
            return
        try:
            window.show_error(f"Unexpected error ({kind.__name__}: {value}). Partita keeps running; "
                              "save your work to be safe")
        except RuntimeError:  # the window is already gone
            pass

    sys.excepthook = hook


def run(document: Document, *, recover: bool = True, opened_from: Path | None = None) -> int:
    """Open the window on ``document`` (made from the file ``opened_from``, if any: a song's
    grid is then detected in a job) and run until it closes."""
    app = application()
    window = MainWindow(document, Settings.load())
    install_error_hook(window)
    window.show_on_screen()
    window.grid.after_open(opened_from)
    if recover:
        window.files.offer_recovery()
    return int(app.exec())
