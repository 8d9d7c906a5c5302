"""The control-curve pane: the curve tools and one lane per curve (melody, dynamics, rhythm)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from app.project import CURVE_NAMES
from ui import theme
from ui.curve_lane import CurveHeader, CurveLane, CurveToolState
from ui.time_axis import TimeAxis


class CurvesPane(QWidget):
    def __init__(self, axis: TimeAxis, tools: CurveToolState, tool_actions: dict[str, QAction],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tools = tools
        self.lanes: dict[str, CurveLane] = {}
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(self._tool_bar(tool_actions))
        for name in CURVE_NAMES:
            lane = CurveLane(axis, name, tools)
            row = QHBoxLayout()
            row.setSpacing(0)
            row.addWidget(CurveHeader(lane))
            row.addWidget(lane, 1)
            gutter = QWidget()
            gutter.setFixedWidth(theme.GUTTER_WIDTH)
            row.addWidget(gutter)
            outer.addLayout(row)
            self.lanes[name] = lane
        outer.addStretch(1)

    def _tool_bar(self, tool_actions: dict[str, QAction]) -> QWidget:
        bar = QWidget()
        bar.setObjectName("PaneBar")
        bar.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        box = QHBoxLayout(bar)
        box.setContentsMargins(10, 3, 10, 3)
        title = QLabel("Control curves")
        title.setObjectName("PaneTitle")
        box.addWidget(title)
        box.addSpacing(16)
        for name in ("pencil", "line", "eraser"):
            button = QToolButton()
            button.setDefaultAction(tool_actions[name])
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            box.addWidget(button)
        box.addStretch(1)
        self._actions_box = QHBoxLayout()
        box.addLayout(self._actions_box)
        box.addSpacing(12)
        legend = QLabel("solid band = specified · hatched = unspecified (the engines choose)")
        legend.setStyleSheet(f"color: {theme.TEXT_DIM}")
        box.addWidget(legend)
        return bar

    def add_action_button(self, action: QAction) -> QToolButton:
        """A button for an engine action that reads the curves (e.g. Generate), in the pane's bar."""
        button = QToolButton()
        button.setDefaultAction(action)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._actions_box.addWidget(button)
        return button
