"""Transport icons drawn with QPainter (no image files, no font glyphs that may be missing).

Drawn at 2x so they stay sharp on HiDPI screens.
"""
from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap, QPolygonF

from ui import theme

SIZE = 18
SCALE = 2


def _icon(draw, color: str = theme.TEXT) -> QIcon:
    pixmap = QPixmap(SIZE * SCALE, SIZE * SCALE)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.scale(SCALE, SCALE)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(color))
    draw(painter, QColor(color))
    painter.end()
    pixmap.setDevicePixelRatio(SCALE)
    return QIcon(pixmap)


def play() -> QIcon:
    return _icon(lambda p, c: p.drawPolygon(QPolygonF([QPointF(5, 3), QPointF(15, 9), QPointF(5, 15)])),
                 "#8fcf6a")


def stop() -> QIcon:
    return _icon(lambda p, c: p.drawRoundedRect(QRectF(4, 4, 10, 10), 1.5, 1.5), theme.PLAYHEAD)


def to_start() -> QIcon:
    def draw(p: QPainter, c: QColor) -> None:
        p.drawRect(QRectF(3.5, 4, 2, 10))
        p.drawPolygon(QPolygonF([QPointF(15, 4), QPointF(7, 9), QPointF(15, 14)]))
    return _icon(draw)


def loop() -> QIcon:
    def draw(p: QPainter, c: QColor) -> None:
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.setPen(QPen(c, 1.8, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        path = QPainterPath()
        path.moveTo(5, 6)
        path.lineTo(13, 6)
        path.arcTo(QRectF(10, 6, 6, 6), 90, -180)
        path.moveTo(13, 12)
        path.lineTo(5, 12)
        path.arcTo(QRectF(2, 6, 6, 6), 270, -180)
        p.drawPath(path)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(c)
        p.drawPolygon(QPolygonF([QPointF(11, 3), QPointF(14.5, 6), QPointF(11, 9)]))
    return _icon(draw, theme.LOOP)


def follow() -> QIcon:
    def draw(p: QPainter, c: QColor) -> None:
        p.drawRect(QRectF(5, 2, 1.6, 14))
        p.drawRect(QRectF(8, 8.2, 5, 1.6))
        p.drawPolygon(QPolygonF([QPointF(12, 5.5), QPointF(16, 9), QPointF(12, 12.5)]))
    return _icon(draw, theme.ACCENT)


def chevron() -> QIcon:
    """ "»": more actions than fit (a toolbar's overflow menu)."""
    def draw(p: QPainter, c: QColor) -> None:
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.setPen(QPen(c, 1.8, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
        for x in (4.5, 9.5):
            p.drawPolyline(QPolygonF([QPointF(x, 5), QPointF(x + 4, 9), QPointF(x, 13)]))
    return _icon(draw)
