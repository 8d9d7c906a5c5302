"""A control-curve lane (melody, dynamics or rhythm) and its header.

Specified spans sit on a tinted band with the curve drawn over it (melody as
a stepped pitch contour, dynamics and rhythm filled beneath); unspecified
spans are hatched and dim: that is where the model chooses. Left-drag draws
with the current tool (pencil, line, eraser); right-drag always erases.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from app.project import CURVE_NAMES
from engines.common import CONTROL_FRAME_RATE
from ui import theme
from ui.curve_tools import RANGES, UNITS, Stroke, seconds_to_frame, specified_spans
from ui.lane import TimeLane
from ui.painter_paths import flat_pen, polygon_path, polyline_path
from ui.piano_keys import pitch_name
from ui.time_axis import TimeAxis

PAD = 6


class CurveToolState(QObject):
    """The tool shared by all curve lanes: "pencil", "line" or "eraser"."""

    changed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tool = "pencil"

    def set(self, tool: str) -> None:
        if tool != self.tool:
            self.tool = tool
            self.changed.emit(tool)


class CurveLane(TimeLane):
    def __init__(self, axis: TimeAxis, name: str, tools: CurveToolState, parent=None) -> None:
        super().__init__(axis, parent)
        if name not in CURVE_NAMES:
            raise ValueError(name)
        self.name = name
        self.tools = tools
        self.stroke: Stroke | None = None
        self.setMinimumHeight(theme.CURVE_LANE_MIN_HEIGHT)
        self.setMaximumHeight(theme.CURVE_LANE_HEIGHT)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setToolTip(f"{name.capitalize()} curve · drag to draw with the current tool · right-drag erases")
        axis.model.curve_changed.connect(lambda n: self.invalidate() if n == name else None)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override): full height where there is room
        return QSize(super().sizeHint().width(), theme.CURVE_LANE_HEIGHT)

    # -- coordinates ---------------------------------------------------------------------------------
    def value_to_y(self, value):
        lo, hi = RANGES[self.name]
        return PAD + (hi - np.asarray(value, dtype=np.float64)) / (hi - lo) * (self.height() - 2 * PAD)

    def y_to_value(self, y: float) -> float:
        lo, hi = RANGES[self.name]
        return hi - (y - PAD) / (self.height() - 2 * PAD) * (hi - lo)

    def x_to_frame(self, x: float) -> int:
        return seconds_to_frame(self.axis.x_to_sec(x))

    def frame_to_x(self, frames):
        return self.axis.sec_to_x(np.asarray(frames, dtype=np.float64) / CONTROL_FRAME_RATE)

    # -- painting ------------------------------------------------------------------------------------------
    def paint_content(self, painter: QPainter, width: int, height: int) -> None:
        painter.fillRect(0, 0, width, height, QColor(theme.UNSPECIFIED))
        painter.fillRect(0, 0, width, height, QBrush(QColor("#34373d"), Qt.BrushStyle.BDiagPattern))
        self.paint_grid(painter, width, height)
        curve = self.project.curve(self.name)
        end_x = float(self.frame_to_x(len(curve)))
        if end_x < width:
            painter.fillRect(QRectF(end_x, 0, width - end_x, height), QColor(theme.BG))
        self._paint_curve(painter, curve, QColor(theme.CURVE_COLORS[self.name]), width, band=True)
        painter.setPen(QColor(theme.BORDER))
        painter.drawLine(0, height - 1, width, height - 1)

    def _paint_curve(self, painter: QPainter, curve: np.ndarray, color: QColor, width: int, *,
                     band: bool, span: tuple[int, int] | None = None) -> None:
        f0 = max(0, self.x_to_frame(0) - 1)
        f1 = min(len(curve), self.x_to_frame(width) + 2)
        if span is not None:
            f0, f1 = max(f0, span[0]), min(f1, span[1])
        if f1 <= f0:
            return
        values = curve[f0:f1].astype(np.float64)
        if band:
            for a, b in specified_spans(values):
                x0, x1 = (float(x) for x in self.frame_to_x([f0 + a, f0 + b]))
                painter.fillRect(QRectF(x0, 0, x1 - x0, self.height() - 1), theme.with_alpha(color, 34))
        xs = self.frame_to_x(np.arange(f0, f1 + 1))
        if self.name == "melody":
            x_line = np.repeat(xs, 2)[1:-1]
            y_line = np.repeat(self.value_to_y(values), 2)
        else:
            x_line = (xs[:-1] + xs[1:]) / 2
            y_line = self.value_to_y(values)
            self._fill_under(painter, x_line, y_line, color)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(flat_pen(color, 2.0))
        painter.drawPath(polyline_path(x_line, y_line))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)

    def _fill_under(self, painter: QPainter, x: np.ndarray, y: np.ndarray, color: QColor) -> None:
        """Fill between each specified run of the curve and the lane's bottom."""
        bottom = float(self.height() - 1)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(theme.with_alpha(color, 60))
        for a, b in specified_spans(y):
            xs = np.concatenate([[x[a]], x[a:b], [x[b - 1]]])
            ys = np.concatenate([[bottom], y[a:b], [bottom]])
            painter.drawPath(polygon_path(xs, ys))

    def paint_overlay(self, painter: QPainter) -> None:
        stroke = self.stroke
        if stroke is None:
            return
        start, stop = stroke.span
        x0, x1 = (float(x) for x in self.frame_to_x([start, stop]))
        if stroke.tool == "eraser":
            painter.fillRect(QRectF(x0, 0, x1 - x0, self.height()), theme.with_alpha(theme.PLAYHEAD, 60))
            return
        painter.fillRect(QRectF(x0, 0, x1 - x0, self.height()), QColor(theme.UNSPECIFIED))
        self._paint_curve(painter, stroke.curve, QColor(theme.SELECTION), self.width(), band=False,
                          span=(start, stop))

    # -- mouse ------------------------------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() not in (Qt.MouseButton.LeftButton, Qt.MouseButton.RightButton):
            return
        tool = "eraser" if event.button() == Qt.MouseButton.RightButton else self.tools.tool
        pos = event.position()
        self.stroke = Stroke(tool, self.name, self.project.curve(self.name), self.x_to_frame(pos.x()),
                             self.y_to_value(pos.y()))
        self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self.stroke is not None:
            pos = event.position()
            self.stroke.to(self.x_to_frame(pos.x()), self.y_to_value(pos.y()))
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self.mouseMoveEvent(event)
        stroke, self.stroke = self.stroke, None
        if stroke is not None:
            command = stroke.command()
            if command is not None:
                self.axis.model.push(command)
        self.update()


class CurveHeader(QWidget):
    """The lane's name, colour and value scale, drawn in the header column."""

    def __init__(self, lane: CurveLane, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lane = lane
        self.setFixedWidth(theme.HEADER_WIDTH)
        self.setMinimumHeight(theme.CURVE_LANE_MIN_HEIGHT)
        self.setMaximumHeight(theme.CURVE_LANE_HEIGHT)
        self.setToolTip(f"{lane.name.capitalize()} control curve ({UNITS[lane.name]}); hatched = unspecified")

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(theme.HEADER))
        color = QColor(theme.CURVE_COLORS[self.lane.name])
        painter.fillRect(0, 0, 5, self.height(), color)
        painter.setPen(QColor(theme.TEXT))
        font = QFont(self.font())
        font.setBold(True)
        painter.setFont(font)
        painter.drawText(QPointF(14, 20), self.lane.name.capitalize())
        font.setBold(False)
        font.setPointSizeF(font.pointSizeF() * 0.85)
        painter.setFont(font)
        painter.setPen(QColor(theme.TEXT_DIM))
        painter.drawText(QPointF(14, 38), UNITS[self.lane.name])
        labels = _scale_labels(self.lane.name)
        spacing = abs(float(self.lane.value_to_y(labels[0][0]) - self.lane.value_to_y(labels[-1][0])))
        if spacing / (len(labels) - 1) < painter.fontMetrics().height():
            labels = [labels[0], labels[-1]]  # a squeezed lane shows only the ends of its scale
        for value, label in labels:
            y = float(self.lane.value_to_y(value))
            painter.drawText(QRectF(self.width() - 70, y - 8, 62, 16),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, label)
        painter.fillRect(0, self.height() - 1, self.width(), 1, QColor(theme.BORDER))
        painter.end()


def _scale_labels(name: str) -> list[tuple[float, str]]:
    if name == "melody":
        return [(p, pitch_name(p)) for p in (48, 60, 72, 84)]
    if name == "dynamics":
        return [(0.0, "0 dB"), (-20.0, "-20"), (-40.0, "-40"), (-60.0, "-60")]
    return [(16.0, "16/s"), (8.0, "8"), (0.0, "0")]
