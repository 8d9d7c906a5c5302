"""The control-curve pane: the curve tools and one lane per curve (melody, dynamics, rhythm).

The lanes sit in a scroll area: on a small screen they shrink to
``theme.CURVE_LANE_MIN_HEIGHT`` and then scroll, so the pane never forces the
window to grow. Its vertical scroll bar takes the gutter every lane row keeps
at the right, so the lanes line up with the ruler.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QScrollArea, QToolButton, QVBoxLayout, QWidget

from app.project import CURVE_NAMES
from ui import theme
from ui.curve_lane import CurveHeader, CurveLane, CurveToolState
from ui.elided_label import ElidedLabel
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
        rows = QWidget()
        box = QVBoxLayout(rows)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)
        for name in CURVE_NAMES:
            lane = CurveLane(axis, name, tools)
            row = QHBoxLayout()
            row.setSpacing(0)
            row.addWidget(CurveHeader(lane))
            row.addWidget(lane, 1)
            box.addLayout(row)
            self.lanes[name] = lane
            lane.setToolTip(f"{name.capitalize()} curve · drag to draw with the current tool "
                            f"({_tool_keys(tool_actions)}) · right-drag erases")
        box.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setWidget(rows)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.scroll.setMinimumHeight(theme.CURVE_LANE_MIN_HEIGHT)
        outer.addWidget(self.scroll, 1)

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
        box.addSpacing(12)
        self._actions_box = QHBoxLayout()
        box.addLayout(self._actions_box)
        box.addSpacing(12)
        legend = ElidedLabel("solid band = specified · hatched = unspecified (the engines choose)")
        legend.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        legend.setStyleSheet(f"color: {theme.TEXT_DIM}")
        box.addWidget(legend, 1)
        return bar

    def add_action_button(self, action: QAction) -> QToolButton:
        """A button for an engine action that reads the curves (e.g. Generate), in the pane's bar."""
        button = QToolButton()
        button.setDefaultAction(action)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._actions_box.addWidget(button)
        return button


def _tool_keys(tool_actions: dict[str, QAction]) -> str:
    """ "P pencil, N line, E eraser": each curve tool with the key its action has."""
    keys = [(tool_actions[name].shortcut().toString(QKeySequence.SequenceFormat.NativeText), name)
            for name in ("pencil", "line", "eraser")]
    return ", ".join(f"{key} {name}" for key, name in keys)
