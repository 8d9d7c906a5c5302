"""The piano roll's vertical axis (pitch rows) and the keyboard drawn beside it.

``PitchAxis`` maps MIDI pitch to y: row ``p`` spans
[(top - p - 1) * row_height, (top - p) * row_height], so ``top`` is the
pitch boundary at y = 0 (128 shows G9 at the top).
"""
from __future__ import annotations

import math

from PySide6.QtCore import QObject, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPaintEvent, QWheelEvent
from PySide6.QtWidgets import QWidget

from app.project import PITCH_NAMES
from ui import theme

BLACK = {1, 3, 6, 8, 10}
MIN_ROW, MAX_ROW = 4.0, 40.0
DRUM_NAMES = dict(enumerate((
    "Acoustic Kick", "Kick", "Side Stick", "Snare", "Clap", "Electric Snare", "Low Floor Tom",
    "Closed Hi-Hat", "High Floor Tom", "Pedal Hi-Hat", "Low Tom", "Open Hi-Hat", "Low-Mid Tom",
    "Hi-Mid Tom", "Crash 1", "High Tom", "Ride 1", "China", "Ride Bell", "Tambourine", "Splash",
    "Cowbell", "Crash 2", "Vibraslap", "Ride 2", "Hi Bongo", "Low Bongo", "Mute Hi Conga",
    "Open Hi Conga", "Low Conga", "High Timbale", "Low Timbale", "High Agogo", "Low Agogo", "Cabasa",
    "Maracas", "Short Whistle", "Long Whistle", "Short Guiro", "Long Guiro", "Claves",
    "Hi Wood Block", "Low Wood Block", "Mute Cuica", "Open Cuica", "Mute Triangle", "Open Triangle",
), start=35))
"""General MIDI percussion (channel 10) names by note number."""


def pitch_name(pitch: int) -> str:
    """MIDI pitch -> "C4" (60 = C4)."""
    return f"{PITCH_NAMES[pitch % 12]}{pitch // 12 - 1}"


class PitchAxis(QObject):
    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.top = 96.0
        self.row_height = 12.0
        self.view_height = 400

    def pitch_to_y(self, pitch):
        """Top edge of a pitch's row (scalar or array)."""
        return (self.top - pitch - 1) * self.row_height

    def y_to_pitch(self, y: float) -> int:
        return int(math.floor(self.top - y / self.row_height))

    def set_top(self, top: float) -> None:
        visible = self.view_height / self.row_height
        top = min(128.0, max(visible, top))
        if top != self.top:
            self.top = top
            self.changed.emit()

    def zoom(self, factor: float, anchor_y: float) -> None:
        pitch = self.top - anchor_y / self.row_height
        self.row_height = min(MAX_ROW, max(MIN_ROW, self.row_height * factor))
        self.top = pitch + anchor_y / self.row_height
        self.set_top(self.top)
        self.changed.emit()

    def center_on(self, low: int, high: int) -> None:
        """Scroll so pitches ``low``..``high`` sit in the middle of the view."""
        visible = self.view_height / self.row_height
        self.set_top((low + high + 1) / 2 + visible / 2)

    def shows(self, low: int, high: int) -> bool:
        """Whether the rows of pitches ``low``..``high`` lie wholly in the view."""
        return high + 1 <= self.top + 1e-9 and low >= self.top - self.view_height / self.row_height - 1e-9

    def reveal(self, low: int, high: int) -> None:
        """Bring pitches ``low``..``high`` into view: nothing if they are in it; else centre them,
        first making rows thinner (down to ``MIN_ROW``, as far as the user can zoom out) when they
        would not fit."""
        if self.shows(low, high):
            return
        rows = high - low + 3  # a row of margin above and below
        if rows * self.row_height > self.view_height:
            self.row_height = max(MIN_ROW, min(self.row_height, self.view_height / rows))
            self.changed.emit()
        self.center_on(low, high)

    def scroll_rows(self, rows: float) -> None:
        self.set_top(self.top + rows)


class PianoKeys(QWidget):
    """The keyboard; click a key to hear nothing but see the row (it selects notes of that pitch)."""

    key_clicked = Signal(int)

    def __init__(self, pitch_axis: PitchAxis, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pitch_axis = pitch_axis
        self.caption: list[str] = []
        self.caption_color = QColor(theme.TEXT)
        self.drums = False
        self.setFixedWidth(theme.HEADER_WIDTH)
        self.setToolTip("Click a key to select its notes · wheel scrolls · Alt+wheel zooms pitch")
        pitch_axis.changed.connect(self.update)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(theme.HEADER))
        axis = self.pitch_axis
        h = axis.row_height
        if self.drums:
            self._paint_drum_rows(painter)
            return
        key_left = self.width() - 64
        lo = max(0, axis.y_to_pitch(self.height()))
        hi = min(127, axis.y_to_pitch(0))
        font = QFont(self.font())
        font.setPointSizeF(max(6.5, min(9.0, h * 0.62)))
        painter.setFont(font)
        for pitch in range(lo, hi + 1):
            y = axis.pitch_to_y(pitch)
            black = pitch % 12 in BLACK
            rect = QRectF(key_left, y, 64 if not black else 40, h)
            painter.fillRect(rect, QColor("#1a1b1e" if black else "#d9dce1"))
            painter.fillRect(QRectF(key_left, y + h - 1, 64, 1), QColor("#8d9199" if not black else "#111"))
            if pitch % 12 == 0 and h >= 7:
                painter.setPen(QColor("#30333a"))
                painter.drawText(QRectF(key_left, y, 60, h), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                                 pitch_name(pitch))
        painter.fillRect(0, 0, key_left, self.height(), QColor(theme.HEADER))
        self._paint_caption(painter, key_left)
        painter.end()

    def set_caption(self, lines: list[str], color: QColor, *, drums: bool = False) -> None:
        """Text shown beside the keys (the track's name first, in its colour); drums name each row."""
        self.caption, self.caption_color, self.drums = lines, color, drums
        self.update()

    def _paint_drum_rows(self, painter: QPainter) -> None:
        axis = self.pitch_axis
        h = axis.row_height
        left = self.width() - 124
        font = QFont(self.font())
        font.setPointSizeF(max(6.5, min(8.5, h * 0.62)))
        painter.setFont(font)
        for pitch in range(max(0, axis.y_to_pitch(self.height())), min(127, axis.y_to_pitch(0)) + 1):
            y = axis.pitch_to_y(pitch)
            named = pitch in DRUM_NAMES
            painter.fillRect(QRectF(left, y, 124, h), QColor("#3a3d44" if named else "#2a2c31"))
            painter.fillRect(QRectF(left, y + h - 1, 124, 1), QColor(theme.BORDER))
            if h >= 8:
                painter.setPen(QColor(theme.TEXT if named else theme.TEXT_DIM))
                painter.drawText(QRectF(left + 6, y, 116, h), Qt.AlignmentFlag.AlignVCenter,
                                 DRUM_NAMES.get(pitch, pitch_name(pitch)))
        painter.fillRect(0, 0, left, self.height(), QColor(theme.HEADER))
        self._paint_caption(painter, left)
        painter.end()

    def _paint_caption(self, painter: QPainter, width: int) -> None:
        if not self.caption:
            return
        painter.fillRect(0, 0, 5, self.height(), self.caption_color)
        font = QFont(self.font())
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(self.caption_color)
        painter.drawText(QRectF(14, 8, width - 18, 20), Qt.AlignmentFlag.AlignLeft, self.caption[0])
        font.setBold(False)
        font.setPointSizeF(font.pointSizeF() * 0.9)
        painter.setFont(font)
        painter.setPen(QColor(theme.TEXT_DIM))
        for i, line in enumerate(self.caption[1:]):
            painter.drawText(QRectF(14, 30 + 17 * i, width - 18, 18), Qt.AlignmentFlag.AlignLeft, line)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        pitch = self.pitch_axis.y_to_pitch(event.position().y())
        if 0 <= pitch <= 127:
            self.key_clicked.emit(pitch)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802
        wheel_pitch(self.pitch_axis, event)


def wheel_pitch(axis: PitchAxis, event: QWheelEvent) -> None:
    """Wheel scrolls pitch rows; Alt+wheel zooms them."""
    delta = event.angleDelta().y() or event.angleDelta().x()
    if event.modifiers() & Qt.KeyboardModifier.AltModifier:
        axis.zoom(1.12 ** (delta / 120), event.position().y())
    else:
        axis.scroll_rows(delta / 120 * 3)
    event.accept()
