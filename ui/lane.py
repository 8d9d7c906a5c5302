"""The base of every timeline lane: cached content, grid, loop, playhead, scroll and zoom.

A lane paints its content (notes, waveform, curve) into a cached pixmap in
``paint_content``; the playhead and live previews are drawn over it in
``paint_overlay``, so a moving playhead repaints a few pixels, not 20,000
notes. Call ``invalidate()`` when the content changed.
"""
from __future__ import annotations

from PySide6.QtCore import QPointF, QRect, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen, QPixmap, QResizeEvent, QWheelEvent
from PySide6.QtWidgets import QWidget

from ui import theme
from ui.time_axis import TimeAxis

GRID_PENS = {0: theme.GRID_BAR, 1: theme.GRID_BEAT, 2: theme.GRID_FINE}


class TimeLane(QWidget):
    """Subclasses override ``paint_content`` and optionally ``paint_overlay``."""

    draws_loop = True

    def __init__(self, axis: TimeAxis, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.axis = axis
        self._cache: QPixmap | None = None
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setMouseTracking(True)
        axis.changed.connect(self.invalidate)
        axis.playhead_changed.connect(self._playhead_moved)
        axis.model.meta_changed.connect(self.invalidate)
        axis.model.document_replaced.connect(self.invalidate)

    @property
    def project(self):
        return self.axis.project

    def invalidate(self) -> None:
        self._cache = None
        self.update()

    # -- painting ----------------------------------------------------------------------
    def paint_content(self, painter: QPainter, width: int, height: int) -> None:
        """Draw the lane's content (cached until ``invalidate``)."""
        painter.fillRect(0, 0, width, height, QColor(theme.LANE))
        self.paint_grid(painter, width, height)

    def paint_overlay(self, painter: QPainter) -> None:
        """Draw what changes often (previews, rubber bands) over the cached content."""

    def paint_grid(self, painter: QPainter, width: int, height: int, *, sub_ticks: int = 0) -> None:
        for x, level in self.axis.grid(width, sub_ticks=sub_ticks):
            painter.setPen(QPen(QColor(GRID_PENS[level]), 1))
            painter.drawLine(QPointF(round(x) + 0.5, 0), QPointF(round(x) + 0.5, height))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        if self._cache is None or self._cache.size() != self.size() * self.devicePixelRatioF():
            self._cache = self._paint_pixmap()
        painter = QPainter(self)
        painter.drawPixmap(event.rect(), self._cache, self._source_rect(event.rect()))
        self._paint_loop(painter)
        self.paint_overlay(painter)
        self._paint_playhead(painter)
        painter.end()

    def _paint_pixmap(self) -> QPixmap:
        ratio = self.devicePixelRatioF()
        pixmap = QPixmap(self.size() * ratio)
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(QColor(theme.LANE))
        painter = QPainter(pixmap)
        self.paint_content(painter, self.width(), self.height())
        painter.end()
        return pixmap

    def _source_rect(self, rect: QRect) -> QRect:
        r = self.devicePixelRatioF()
        return QRect(round(rect.x() * r), round(rect.y() * r), round(rect.width() * r), round(rect.height() * r))

    def _paint_loop(self, painter: QPainter) -> None:
        project = self.project
        if not (self.draws_loop and project.loop_enabled and project.loop_end > project.loop_start):
            return
        x0, x1 = (float(x) for x in self.axis.tick_to_x([project.loop_start, project.loop_end]))
        painter.fillRect(QRect(round(x0), 0, max(1, round(x1 - x0)), self.height()), theme.with_alpha(theme.LOOP, 22))

    def _paint_playhead(self, painter: QPainter) -> None:
        x = round(self.axis.sec_to_x(self.axis.playhead))
        if -2 <= x <= self.width() + 2:
            painter.fillRect(QRect(x, 0, 1, self.height()), QColor(theme.PLAYHEAD))

    def _playhead_moved(self, old: float, new: float) -> None:
        for seconds in (old, new):
            x = round(self.axis.sec_to_x(seconds))
            if -4 <= x <= self.width() + 4:
                self.update(QRect(x - 3, 0, 7, self.height()))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        self._cache = None
        if self.width() > 50:
            self.axis.view_width = self.width()
        super().resizeEvent(event)

    # -- navigation ------------------------------------------------------------------------
    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802
        delta = event.angleDelta()
        mods = event.modifiers()
        if mods & Qt.KeyboardModifier.ControlModifier:
            self.axis.zoom(1.15 ** (delta.y() / 120), event.position().x())
        elif mods & Qt.KeyboardModifier.ShiftModifier or abs(delta.x()) > abs(delta.y()):
            step = delta.x() if abs(delta.x()) > abs(delta.y()) else delta.y()
            self.axis.scroll_pixels(-step / 120 * 60)
        else:
            event.ignore()
            return
        event.accept()
