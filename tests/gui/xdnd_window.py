"""Partita's own window for the drag-and-drop test (tests/gui/test_xdnd.py), on a real display.

    python tests/gui/xdnd_window.py PROJECT.partita STATUS.json

The window is the app's (``ui.main_window.MainWindow`` on the project, themed as the app
is); this script only reports what a test cannot see from outside: the tracks it holds and
the global centre of each track's name, written to STATUS.json whenever the tracks change.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def main() -> None:
    from PySide6.QtCore import QTimer

    from app.document import Document
    from app.settings import Settings
    from ui.app import application
    from ui.main_window import MainWindow

    project_path, status_path = Path(sys.argv[1]), Path(sys.argv[2])
    app = application()
    window = MainWindow(Document.open(project_path), Settings())
    window.setGeometry(0, 0, 1000, 700)
    window.show()

    def report() -> None:
        names = {}
        for track_id, header in window.track_list.headers.items():
            label = header.name
            centre = label.mapToGlobal(label.rect().center())
            names[window.project.track(track_id).name] = [centre.x(), centre.y()]
        window_centre = window.mapToGlobal(window.rect().center())
        data = {"tracks": names, "window": [window_centre.x(), window_centre.y()]}
        status_path.with_suffix(".tmp").write_text(json.dumps(data))
        status_path.with_suffix(".tmp").replace(status_path)

    window.model.tracks_changed.connect(lambda: QTimer.singleShot(100, report))
    QTimer.singleShot(800, report)
    sys.exit(app.exec())


if __name__ == "__main__":
    main()
