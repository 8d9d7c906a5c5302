"""Velocities of the piano roll's notes as stems; drag across them to set velocities.

Dragging sets every note whose start the mouse passes over to the velocity
under the mouse (only the selected notes when there is a selection); the
whole drag is one undo step.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QMouseEvent, QPainter

from app import note_edits
from app.commands import ReplaceNotes
from app.project import Note
from ui import theme
from ui.lane import TimeLane
from ui.painter_paths import flat_pen, segments_path, vertical_segments_path
from ui.piano_roll import PianoRoll

HEIGHT = 72
"""Pixels, where there is room; a short editor gives it ``SHARE`` of its height, at least ``MIN_HEIGHT``."""
MIN_HEIGHT = 40
SHARE = 0.25
PAD = 5


class VelocityLane(TimeLane):
    def __init__(self, roll: PianoRoll, parent=None) -> None:
        super().__init__(roll.axis, parent)
        self.roll = roll
        self.setFixedHeight(HEIGHT)
        self.setToolTip("Velocity · drag across the stems to set velocities (of the selection, if any)")
        self._edits: dict[Note, int] = {}
        self._last_x: float | None = None
        roll.model.notes_changed.connect(lambda _id: self.invalidate())
        roll.model.selected_track_changed.connect(lambda _id: self.invalidate())
        roll.model.track_changed.connect(lambda _id: self.invalidate())
        roll.selection_changed.connect(self.invalidate)

    def fit_height(self, editor_height: int) -> None:
        """Take ``SHARE`` of the note editor's height, between ``MIN_HEIGHT`` and ``HEIGHT``."""
        self.setFixedHeight(max(MIN_HEIGHT, min(HEIGHT, round(editor_height * SHARE))))

    def velocity_to_y(self, velocity):
        return self.height() - PAD - (np.asarray(velocity, dtype=np.float64) / 127.0) * (self.height() - 2 * PAD)

    def y_to_velocity(self, y: float) -> int:
        return int(np.clip(round((self.height() - PAD - y) / (self.height() - 2 * PAD) * 127), 1, 127))

    def paint_content(self, painter: QPainter, width: int, height: int) -> None:
        painter.fillRect(0, 0, width, height, QColor(theme.LANE_ALT))
        self.paint_grid(painter, width, height)
        for v in (32, 64, 96, 127):
            y = float(self.velocity_to_y(v))
            painter.fillRect(QRectF(0, round(y), width, 1), QColor(theme.GRID_FINE))
        track, index = self.roll.track(), self.roll.index()
        if track is None or index is None or not len(index):
            return
        t0, t1 = self.axis.visible_seconds(width)
        shown = index.visible(t0, t1)
        selected = np.zeros(len(index), dtype=bool)
        selected[index.indices_of(self.roll.selection)] = True
        color = theme.track_color(track)
        for mask, shade in ((~selected[shown], color), (selected[shown], QColor(color.lighter(160)))):
            self._stems(painter, index.start_s[shown[mask]], index.velocity[shown[mask]], shade)

    def _stems(self, painter: QPainter, seconds: np.ndarray, velocity: np.ndarray, color: QColor) -> None:
        if len(seconds) == 0:
            return
        x = np.floor(self.axis.sec_to_x(seconds)) + 0.5
        y = self.velocity_to_y(velocity)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(flat_pen(color, 2.0))
        painter.drawPath(vertical_segments_path(x, np.full(len(x), float(self.height())), y))
        painter.setPen(flat_pen(color, 3.0))
        painter.drawPath(segments_path(x - 3, x + 4, y))

    def paint_overlay(self, painter: QPainter) -> None:
        if not self._edits:
            return
        notes = list(self._edits)
        seconds = self.project.tick_to_seconds([n.start for n in notes])
        self._stems(painter, seconds, np.array(list(self._edits.values())), QColor(theme.SELECTION))

    # -- editing ----------------------------------------------------------------------------------------
    def _targets_between(self, x0: float, x1: float) -> list[Note]:
        index = self.roll.index()
        if index is None:
            return []
        lo, hi = min(x0, x1) - 3, max(x0, x1) + 3
        t0, t1 = self.axis.x_to_sec(lo), self.axis.x_to_sec(hi)
        idx = np.flatnonzero((index.start_s >= t0) & (index.start_s <= t1))
        notes = [index.notes[i] for i in idx.tolist()]
        if self.roll.selection:
            notes = [n for n in notes if n in self.roll.selection]
        return notes

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton and self.roll.track() is not None:
            self._edits = {}
            self._last_x = event.position().x()
            self._sweep(event.position())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self._last_x is not None:
            self._sweep(event.position())

    def _sweep(self, pos: QPointF) -> None:
        velocity = self.y_to_velocity(pos.y())
        for note in self._targets_between(self._last_x, pos.x()):
            self._edits[note] = velocity
        self._last_x = pos.x()
        self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        track = self.roll.track()
        edits, self._edits, self._last_x = self._edits, {}, None
        changed = {n: v for n, v in edits.items() if n.velocity != v}
        if track is not None and changed:
            old = list(changed)
            new = [note_edits.with_velocity([n], v)[0] for n, v in changed.items()]
            if self.roll.model.push(ReplaceNotes(track.id, old, new, label="Set velocity")) and self.roll.selection:
                self.roll.set_selection((self.roll.selection - set(old)) | set(new))
        self.update()
