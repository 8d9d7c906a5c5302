"""The arrangement: one row per track, a header (``TrackHeader``) beside its lane (``TrackLane``).

Rows are rebuilt when tracks are added, removed or reordered; otherwise
only the row that changed repaints. Dragging a row onto another position
reorders (``MoveTrack``); the same drag carried out of the window exports it.
"""
from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QColor, QDragEnterEvent, QDragMoveEvent, QDropEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QMenu, QScrollArea, QVBoxLayout, QWidget

from typing import Callable

from app.commands import MoveTrack, RemoveTrack
from app.project import Track
from ui import theme
from ui.dnd import TRACK_MIME
from ui.document_model import DocumentModel
from ui.track_lane import TrackLane
from ui.time_axis import TimeAxis
from ui.track_header import TrackHeader


class _Rows(QWidget):
    """The stacked rows; paints the drop indicator while a track is dragged over it."""

    def __init__(self) -> None:
        super().__init__()
        self.drop_y: int | None = None
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.setSpacing(0)
        self.layout_.addStretch(1)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(theme.BG))
        if self.drop_y is not None:
            painter.fillRect(0, self.drop_y - 1, self.width(), 3, QColor(theme.ACCENT))
        painter.end()


class TrackList(QScrollArea):
    """Lifecycle: one per window; follows the model's track signals by itself."""

    rename_requested = Signal(str)

    def __init__(self, model: DocumentModel, axis: TimeAxis, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.axis = axis
        self.headers: dict[str, TrackHeader] = {}
        self.menu_entries: list[tuple[str, Callable[[Track], bool], Callable[[str], object]]] = []
        self.lanes: dict[str, TrackLane] = {}
        self.rows = _Rows()
        self.setWidget(self.rows)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.setAcceptDrops(True)
        model.tracks_changed.connect(self.rebuild)
        model.document_replaced.connect(self.rebuild)
        model.track_changed.connect(self._track_changed)
        model.notes_changed.connect(self._notes_changed)
        model.selected_track_changed.connect(self._show_selection)
        self.rebuild()

    def rebuild(self) -> None:
        layout = self.rows.layout_
        while layout.count() > 1:
            item = layout.takeAt(0)
            if item.widget() is not None:
                item.widget().hide()
                item.widget().deleteLater()
        self.headers.clear()
        self.lanes.clear()
        for index, track in enumerate(self.model.project.tracks):
            layout.insertWidget(index, self._row(track.id))
        self._show_selection(self.model.selected_track_id)

    def _row(self, track_id: str) -> QWidget:
        row = QWidget()
        box = QHBoxLayout(row)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)
        header = TrackHeader(self.model, track_id)
        lane = TrackLane(self.axis, track_id)
        header.clicked.connect(self.model.select_track)
        header.context_menu.connect(self.show_menu)
        lane.clicked.connect(self.model.select_track)
        box.addWidget(header)
        box.addWidget(lane, 1)
        self.headers[track_id], self.lanes[track_id] = header, lane
        return row

    # -- model signals ---------------------------------------------------------------------------
    def _track_changed(self, track_id: str) -> None:
        if track_id in self.headers:
            self.headers[track_id].sync()
        for lane in self.lanes.values():  # mute/solo of one track changes what the others play
            lane.invalidate()

    def _notes_changed(self, track_id: str) -> None:
        if track_id in self.lanes:
            self.lanes[track_id].invalidate()

    def _show_selection(self, track_id: str) -> None:
        for tid, header in self.headers.items():
            header.set_selected(tid == track_id)
            self.lanes[tid].set_selected(tid == track_id)
        if track_id in self.headers:
            self.ensureWidgetVisible(self.headers[track_id], 0, 0)

    # -- actions ------------------------------------------------------------------------------------
    def show_menu(self, track_id: str, pos: QPoint) -> None:
        self.build_menu(track_id).exec(pos)

    def build_menu(self, track_id: str) -> QMenu:
        """The context menu of a track: rename, move, engine entries (``add_menu_entry``), delete."""
        menu = QMenu(self)
        menu.addAction("Rename…", lambda: self.start_rename(track_id))
        menu.addAction("Move up", lambda: self.move_track(track_id, -1))
        menu.addAction("Move down", lambda: self.move_track(track_id, +1))
        track = self.model.project.track(track_id)
        extra = [(text, callback) for text, applies, callback in self.menu_entries if applies(track)]
        if extra:
            menu.addSeparator()
        for text, callback in extra:
            menu.addAction(text, lambda cb=callback: cb(track_id))
        menu.addSeparator()
        menu.addAction("Delete track", lambda: self.delete_track(track_id))
        return menu

    def add_menu_entry(self, text: str, applies: Callable[[Track], bool], callback: Callable[[str], object]) -> None:
        """Offer ``text`` in the context menu of tracks for which ``applies(track)``; ``callback(track_id)``."""
        self.menu_entries.append((text, applies, callback))

    def start_rename(self, track_id: str) -> None:
        if track_id in self.headers:
            self.headers[track_id].start_rename()

    def move_track(self, track_id: str, step: int) -> None:
        index = [t.id for t in self.model.project.tracks].index(track_id)
        target = index + step
        if 0 <= target < len(self.model.project.tracks):
            self.model.push(MoveTrack(track_id, target))

    def delete_track(self, track_id: str) -> None:
        self.model.push(RemoveTrack(track_id))

    # -- reordering by drag -----------------------------------------------------------------------------
    def _drop_index(self, y: int) -> int:
        y += self.verticalScrollBar().value()
        return max(0, min(len(self.headers), round(y / theme.TRACK_ROW_HEIGHT)))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if event.mimeData().hasFormat(TRACK_MIME) and event.source() is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802
        if not event.mimeData().hasFormat(TRACK_MIME):
            event.ignore()
            return
        self.rows.drop_y = self._drop_index(event.position().toPoint().y()) * theme.TRACK_ROW_HEIGHT
        self.rows.update()
        event.acceptProposedAction()

    def dragLeaveEvent(self, event) -> None:  # noqa: N802
        self.rows.drop_y = None
        self.rows.update()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        self.rows.drop_y = None
        self.rows.update()
        track_id = bytes(event.mimeData().data(TRACK_MIME)).decode()
        ids = [t.id for t in self.model.project.tracks]
        if track_id not in ids:
            event.ignore()
            return
        target = self._drop_index(event.position().toPoint().y())
        current = ids.index(track_id)
        new_index = target - 1 if target > current else target
        if new_index != current:
            self.model.push(MoveTrack(track_id, new_index))
        event.setDropAction(Qt.DropAction.MoveAction)
        event.accept()
