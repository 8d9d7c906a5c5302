"""Labels that can never widen the window: one line, elided with "…", the full text in the tooltip.

A message can be as long as a SoundFont path or an engine's error; a plain
``QLabel`` asks its layout for the whole text's width, and the window grows
past a laptop screen. ``ElidedLabel`` asks for its whole text's width as its
*preferred* size but only a few characters as its *minimum*, paints what fits
and keeps the whole text in its tooltip (and ``text()``), so it shrinks with
the window instead. ``WrappingLabel`` is for messages that must be read whole
(the error banner): it wraps, inside a file path too, and grows in height.
"""
from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QTextLayout, QTextOption
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

MIN_CHARS = 6
"""A shrunken label still shows this many average characters (plus "…")."""


class ElidedLabel(QLabel):
    """A plain-text, one-line label that elides instead of growing.

    ``elide``: where the "…" goes (right by default; middle suits file paths).
    The tooltip is the full text unless ``setToolTip`` gave another one.
    """

    def __init__(self, text: str = "", parent: QWidget | None = None, *,
                 elide: Qt.TextElideMode = Qt.TextElideMode.ElideRight) -> None:
        super().__init__(parent)
        self.elide = elide
        self._own_tip = False
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802 (Qt override)
        super().setText(text)
        if not self._own_tip:
            super().setToolTip(text)

    def setToolTip(self, tip: str) -> None:  # noqa: N802 (Qt override)
        self._own_tip = bool(tip)
        super().setToolTip(tip or self.text())

    def is_elided(self) -> bool:
        """True when the whole text does not fit (what is shown ends or breaks with "…")."""
        return self.fontMetrics().horizontalAdvance(self.text()) > self.contentsRect().width()

    def shown_text(self) -> str:
        """The text as painted at the current width."""
        return self.fontMetrics().elidedText(self.text(), self.elide, self.contentsRect().width())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        metrics = self.fontMetrics()
        margins = self.contentsMargins()
        width = min(metrics.horizontalAdvance(self.text()), metrics.averageCharWidth() * MIN_CHARS
                    + metrics.horizontalAdvance("…"))
        return QSize(width + margins.left() + margins.right(), super().minimumSizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        self.drawFrame(painter)
        rect = self.contentsRect()
        self.style().drawItemText(painter, rect, int(self.alignment()), self.palette(), self.isEnabled(),
                                  self.shown_text(), self.foregroundRole())
        painter.end()


class WrappingLabel(QLabel):
    """A plain-text label that wraps at word boundaries, and inside a word (a long file path)
    only where it must, so it takes the width its layout gives it and grows in height instead."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        policy = QSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Minimum)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def _layout(self, width: int) -> tuple[QTextLayout, float]:
        """The text laid out in lines of at most ``width`` pixels, and its height."""
        layout = QTextLayout(self.text(), self.font())
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        layout.setTextOption(option)
        layout.beginLayout()
        y = 0.0
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(max(1, width))
            line.setPosition(QPointF(0, y))
            y += line.height()
        layout.endLayout()
        return layout, y

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt override)
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt override)
        margins = self.contentsMargins()
        inner = width - margins.left() - margins.right()
        return math.ceil(self._layout(inner)[1]) + margins.top() + margins.bottom()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        width = max(1, self.width())
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(0, self.heightForWidth(max(1, self.width())))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        self.drawFrame(painter)
        rect = self.contentsRect()
        layout, _height = self._layout(rect.width())
        painter.setPen(self.palette().color(self.foregroundRole()))
        layout.draw(painter, QPointF(rect.topLeft()))
        painter.end()
