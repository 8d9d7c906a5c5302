"""An offer the user may take or leave, in a bar above the lanes (not a dialog that interrupts).

Lifecycle: hidden; ``offer(text, on_apply)`` shows the text with Apply and Not now;
Apply calls ``on_apply()`` and hides the bar, Not now just hides it. A newer offer
replaces one still showing.
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QWidget

from ui import theme
from ui.elided_label import WrappingLabel


class OfferBar(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("OfferBar")
        self.setStyleSheet(f"#OfferBar {{ background: #23344a; border-bottom: 1px solid {theme.BORDER}; }}")
        self.text = WrappingLabel()
        self.apply_button, self.dismiss_button = QPushButton("Apply"), QPushButton("Not now")
        self.apply_button.setDefault(True)
        box = QHBoxLayout(self)
        box.setContentsMargins(12, 4, 8, 4)
        box.addWidget(self.text, 1)
        box.addWidget(self.apply_button)
        box.addWidget(self.dismiss_button)
        self._on_apply: Callable[[], None] | None = None
        self.apply_button.clicked.connect(self._apply)
        self.dismiss_button.clicked.connect(self.hide)
        self.hide()

    def offer(self, text: str, on_apply: Callable[[], None]) -> None:
        self.text.setText(text)
        self._on_apply = on_apply
        self.show()

    def _apply(self) -> None:
        action, self._on_apply = self._on_apply, None
        self.hide()
        if action is not None:
            action()
