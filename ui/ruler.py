"""The bars ruler above every lane: bar numbers, the loop region and the playhead.

Click or drag in the lower half to move the playhead. Drag in the upper strip
to set the loop (snapped to beats; it turns looping on); double-click the
strip to turn looping on or off.
"""
from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPen, QPolygonF

from app.commands import SetProjectProps
from ui import theme
from ui.lane import TimeLane
from ui.time_axis import TimeAxis

LOOP_STRIP = 12


class Ruler(TimeLane):
    seek_requested = Signal(float)
    """Seconds the user clicked."""

    draws_loop = False

    def __init__(self, axis: TimeAxis, parent=None) -> None:
        super().__init__(axis, parent)
        self.setFixedHeight(theme.RULER_HEIGHT)
        self.setToolTip("Click to move the playhead · drag the top strip to set the loop "
                        "· double-click the strip to turn looping on/off (L)")
        self._loop_drag: tuple[int, int] | None = None
        self._loop_anchor = 0

    def paint_content(self, painter: QPainter, width: int, height: int) -> None:
        painter.fillRect(0, 0, width, height, QColor(theme.PANEL))
        painter.fillRect(0, 0, width, LOOP_STRIP, QColor("#1c1d21"))
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 0.9)
        painter.setFont(font)
        sig = self.project.time_signature
        for x, level in self.axis.grid(width, min_px=6):
            top = LOOP_STRIP if level == 0 else height - (7 if level == 1 else 4)
            painter.setPen(QPen(QColor(theme.GRID_BAR if level == 0 else theme.TEXT_DIM), 1))
            painter.drawLine(QPointF(round(x) + 0.5, top), QPointF(round(x) + 0.5, height))
            if level == 0:
                bar = round(self.axis.x_to_tick(x) / sig.ticks_per_bar) + 1
                painter.setPen(QColor(theme.TEXT))
                painter.drawText(QPointF(round(x) + 4, LOOP_STRIP + 13), str(bar))
        painter.setPen(QColor(theme.BORDER))
        painter.drawLine(0, height - 1, width, height - 1)

    def paint_overlay(self, painter: QPainter) -> None:
        project = self.project
        start, end = self._loop_drag or (project.loop_start, project.loop_end)
        if end > start:
            x0, x1 = (float(x) for x in self.axis.tick_to_x([start, end]))
            on = project.loop_enabled or self._loop_drag is not None
            color = QColor(theme.LOOP) if on else QColor("#4a4f57")
            painter.fillRect(QRectF(x0, 1, x1 - x0, LOOP_STRIP - 2), theme.with_alpha(color, 170))
        x = self.axis.sec_to_x(self.axis.playhead)
        painter.setBrush(QColor(theme.PLAYHEAD))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawPolygon(QPolygonF([QPointF(x - 5, self.height() - 9), QPointF(x + 6, self.height() - 9),
                                       QPointF(x + 0.5, self.height() - 2)]))

    def _playhead_moved(self, old: float, new: float) -> None:
        self.update()

    # -- mouse --------------------------------------------------------------------------------
    def _beat_tick(self, x: float) -> int:
        beat = self.project.time_signature.ticks_per_beat
        return max(0, round(self.axis.x_to_tick(x) / beat) * beat)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() != Qt.MouseButton.LeftButton:
            return
        x = event.position().x()
        if event.position().y() < LOOP_STRIP + 2:
            tick = self._beat_tick(x)
            self._loop_anchor = tick
            self._loop_drag = (tick, tick)
            self.update()
        else:
            self.seek_requested.emit(max(0.0, self.axis.x_to_sec(x)))

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        x = event.position().x()
        if self._loop_drag is not None:
            tick = self._beat_tick(x)
            self._loop_drag = (min(tick, self._loop_anchor), max(tick, self._loop_anchor))
            self.update()
        elif event.buttons() & Qt.MouseButton.LeftButton:
            self.seek_requested.emit(max(0.0, self.axis.x_to_sec(x)))

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self._loop_drag is None:
            return
        self.mouseMoveEvent(event)
        start, end = self._loop_drag
        self._loop_drag = None
        if end > start:
            self.axis.model.push(SetProjectProps(loop_start=start, loop_end=end, loop_enabled=True))
        self.update()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.position().y() < LOOP_STRIP + 2:
            self._loop_drag = None
            toggle_loop(self.axis)


def toggle_loop(axis: TimeAxis) -> None:
    """Turn looping on or off; with no loop yet, loop the first four bars."""
    project = axis.project
    if project.loop_end <= project.loop_start:
        bars = min(4, project.length_bars)
        axis.model.push(SetProjectProps(loop_start=0, loop_end=bars * project.ticks_per_bar, loop_enabled=True))
    else:
        axis.model.push(SetProjectProps(loop_enabled=not project.loop_enabled))
