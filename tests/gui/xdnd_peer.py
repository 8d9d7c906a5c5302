"""Another application for the drag-and-drop test (tests/gui/test_xdnd.py): a small Qt window
with a drag source that carries a file (as a file manager or a DAW would) and a drop target
that receives what Partita drags out and checks it is a readable MIDI or WAV file.

    python tests/gui/xdnd_peer.py FILE_TO_OFFER STATUS.json

It writes STATUS.json at start (the global centres of its source and target) and again after
each drop (what arrived and whether it could be read).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QMimeData, QPoint, Qt, QTimer, QUrl  # noqa: E402
from PySide6.QtGui import QDrag  # noqa: E402
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget  # noqa: E402


def readable(path: Path) -> dict:
    """What the file holds, read the way another application would."""
    if path.suffix.lower() == ".mid":
        from app.midi_io import read_midi

        content = read_midi(path)
        return {"kind": "midi", "notes": sum(len(t.notes) for t in content.tracks)}
    import soundfile as sf

    data, rate = sf.read(path, always_2d=True)
    return {"kind": "wav", "frames": int(data.shape[0]), "rate": int(rate)}


class Source(QLabel):
    def __init__(self, offered: Path) -> None:
        super().__init__(f"drag me: {offered.name}")
        self.offered = offered
        self.setMinimumSize(260, 120)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setStyleSheet("background: #335; color: white")
        self._press: QPoint | None = None

    def mousePressEvent(self, event) -> None:  # noqa: N802
        self._press = event.position().toPoint()

    def mouseMoveEvent(self, event) -> None:  # noqa: N802
        if self._press is None or (event.position().toPoint() - self._press).manhattanLength() < 8:
            return
        self._press = None
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(self.offered))])
        drag = QDrag(self)
        drag.setMimeData(mime)
        drag.exec(Qt.DropAction.CopyAction)


class Target(QLabel):
    def __init__(self, status: "Status") -> None:
        super().__init__("drop a track here")
        self.status = status
        self.setAcceptDrops(True)
        self.setMinimumSize(260, 160)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setStyleSheet("background: #353; color: white")

    def dragEnterEvent(self, event) -> None:  # noqa: N802
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dragMoveEvent(self, event) -> None:  # noqa: N802
        event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        event.acceptProposedAction()
        received = []
        for path in paths:
            try:
                received.append({"path": str(path), **readable(path)})
            except Exception as exc:  # what arrived is the test's finding, not a crash
                received.append({"path": str(path), "error": str(exc)})
        self.status.write(received=received)


class Status:
    def __init__(self, path: Path, window: QWidget, source: QWidget) -> None:
        self.path, self.window, self.source = path, window, source
        self.received: list[dict] = []
        self.target: QWidget | None = None

    def write(self, *, received: list[dict] | None = None) -> None:
        if received is not None:
            self.received += received
        centre = lambda w: w.mapToGlobal(w.rect().center())  # noqa: E731
        data = {"source": [centre(self.source).x(), centre(self.source).y()],
                "target": [centre(self.target).x(), centre(self.target).y()] if self.target else None,
                "received": self.received}
        self.path.with_suffix(".tmp").write_text(json.dumps(data))
        self.path.with_suffix(".tmp").replace(self.path)


def main() -> None:
    offered, status_path = Path(sys.argv[1]), Path(sys.argv[2])
    app = QApplication(sys.argv[:1])
    window = QWidget()
    window.setWindowTitle("Drag-and-drop peer")
    source = Source(offered)
    status = Status(status_path, window, source)
    target = Target(status)
    status.target = target
    box = QVBoxLayout(window)
    box.addWidget(source)
    box.addWidget(target)
    window.move(int(sys.argv[3]) if len(sys.argv) > 3 else 1100, 100)
    window.show()
    QTimer.singleShot(500, status.write)
    sys.exit(app.exec())


if __name__ == "__main__":
    main()
