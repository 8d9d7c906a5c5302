"""A toolbar for a row shared with other widgets: it shrinks to a chevron, never widens the window.

Qt's ``QToolBar`` already moves the actions that do not fit into a menu
behind its extension button; outside a main window's toolbar area that menu
pops up on click. This subclass asks its layout for no more than that button
as its minimum width (Qt asks for the first action too, so one long action
name would still set the window's width), and draws the button as a
visible "»" with a tooltip.
"""
from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QToolBar, QToolButton, QWidget

from ui import icons

EXTENSION = "qt_toolbar_ext_button"
"""Qt's object name of a toolbar's extension (overflow) button."""
CHEVRON_WIDTH = 22


class OverflowToolBar(QToolBar):
    """A fixed, text-only toolbar whose minimum width is its chevron's."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.setMovable(False)
        self.setFloatable(False)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        chevron = self.chevron()
        chevron.setIcon(icons.chevron())
        chevron.setFixedWidth(CHEVRON_WIDTH)
        chevron.setToolTip(f"More {title.lower()} actions (those that do not fit)")

    def chevron(self) -> QToolButton:
        """The button behind which the actions that do not fit wait (shown only then)."""
        button = self.findChild(QToolButton, EXTENSION)
        assert button is not None, "QToolBar always makes its extension button"
        return button

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        margins = self.contentsMargins()
        height = super().minimumSizeHint().height()
        return QSize(CHEVRON_WIDTH + margins.left() + margins.right() + 2 * self.layout().contentsMargins().left(),
                     height)
