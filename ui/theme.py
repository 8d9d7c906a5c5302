"""The dark theme: palette, style sheet, track colours and sizes shared by every view.

A track's colour is ``track.color`` when set, else a palette colour picked
from its id, so it stays the same in the track list, the stem view, the piano
roll and the velocity lane, and across reorders.
"""
from __future__ import annotations

import zlib

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPalette, QPen
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle, QStyleFactory, QStyleOption, QWidget

from app.project import Project, Track

BG = "#17181b"
PANEL = "#202226"
LANE = "#25272c"
LANE_ALT = "#222428"
HEADER = "#2b2e33"
HEADER_SELECTED = "#363a41"
BORDER = "#111214"
GRID_FINE = "#2d3035"
GRID_BEAT = "#353940"
GRID_BAR = "#4a4f57"
TEXT = "#d8dbe0"
TEXT_DIM = "#8b9099"
ACCENT = "#f0a43a"
PLAYHEAD = "#ff5a4f"
LOOP = "#3f8fd8"
SELECTION = "#ffffff"
UNSPECIFIED = "#2a2c31"
BLACK_KEY_ROW = "#212327"
WHITE_KEY_ROW = "#282a2f"

TRACK_PALETTE = (
    "#e8a33d", "#5fb3d9", "#8fcf6a", "#d9697a", "#a487e0", "#4fc7b0",
    "#e07f4f", "#c9c25a", "#6f8fe8", "#d98cc8", "#7bc98f", "#b5a38a",
)
CURVE_COLORS = {"melody": "#f2b950", "dynamics": "#58c4dd", "rhythm": "#9dd26b"}

HEADER_WIDTH = 236
"""Width of every lane's left header, so all timelines start at the same x."""
GUTTER_WIDTH = 14
"""Width reserved at the right of every lane row (the vertical scroll bars)."""
TRACK_ROW_HEIGHT = 64
RULER_HEIGHT = 34
CURVE_LANE_HEIGHT = 72
"""A curve lane's height when there is room; on a small screen lanes shrink to"""
CURVE_LANE_MIN_HEIGHT = 44
"""this, then the curve pane scrolls."""


def track_color(track: Track) -> QColor:
    """The colour of ``track`` in every view."""
    if track.color:
        color = QColor(track.color)
        if color.isValid():
            return color
    return QColor(TRACK_PALETTE[zlib.crc32(track.id.encode()) % len(TRACK_PALETTE)])


def track_color_default() -> QColor:
    return QColor(TEXT)


def free_color(project: Project, taken: set[str] | None = None) -> str:
    """A palette colour no track of ``project`` uses yet (cycling when all are used)."""
    used = {track_color(t).name() for t in project.tracks} | (taken or set())
    for color in TRACK_PALETTE:
        if color not in used:
            return color
    return TRACK_PALETTE[len(project.tracks) % len(TRACK_PALETTE)]


def with_alpha(color: QColor | str, alpha: int) -> QColor:
    out = QColor(color)
    out.setAlpha(alpha)
    return out


STYLE_SHEET = f"""
QMainWindow, QDialog {{ background: {BG}; }}
QWidget {{ color: {TEXT}; }}
QToolTip {{ background: #2f3237; color: {TEXT}; border: 1px solid #444; padding: 4px; }}
QMenuBar {{ background: {PANEL}; }}
QMenuBar::item:selected, QMenu::item:selected {{ background: #3a3e45; }}
QMenu {{ background: {PANEL}; border: 1px solid #3a3d42; }}
QMenu::separator {{ height: 1px; background: #3a3d42; margin: 4px 8px; }}
QStatusBar {{ background: {PANEL}; color: {TEXT_DIM}; }}
QSplitter::handle {{ background: {BORDER}; }}
QScrollBar:horizontal {{ height: {GUTTER_WIDTH}px; background: {PANEL}; }}
QScrollBar:vertical {{ width: {GUTTER_WIDTH}px; background: {PANEL}; }}
QScrollBar::handle {{ background: #464a51; border-radius: 4px; margin: 3px; }}
QScrollBar::handle:hover {{ background: #5a5f67; }}
QScrollBar::add-line, QScrollBar::sub-line {{ width: 0; height: 0; }}
QScrollBar::add-page, QScrollBar::sub-page {{ background: none; }}
QToolButton {{ background: transparent; border: 1px solid transparent; border-radius: 4px;
              padding: 3px 6px; }}
QToolButton:hover {{ background: #33363c; border-color: #41454c; }}
QToolButton:checked {{ background: #3d424a; border-color: {ACCENT}; color: {ACCENT}; }}
QPushButton {{ background: #30333a; border: 1px solid #41454c; border-radius: 4px;
              padding: 4px 12px; }}
QPushButton:hover {{ background: #3a3e45; }}
QPushButton:default {{ border-color: {ACCENT}; }}
QComboBox, QLineEdit, QSpinBox, QDoubleSpinBox {{ background: #1b1c20; border: 1px solid #3b3e44;
              border-radius: 3px; padding: 2px 4px; selection-background-color: {ACCENT}; }}
QComboBox:hover, QLineEdit:hover, QSpinBox:hover, QDoubleSpinBox:hover {{ border-color: #555a62; }}
QComboBox QAbstractItemView {{ background: {PANEL}; selection-background-color: #3a3e45; }}
QProgressBar {{ background: #1b1c20; border: 1px solid #3b3e44; border-radius: 3px;
               text-align: center; height: 14px; }}
QProgressBar::chunk {{ background: {ACCENT}; border-radius: 2px; }}
QDockWidget::title {{ background: {PANEL}; padding: 4px; }}
QGroupBox {{ border: 1px solid #3b3e44; border-radius: 4px; margin-top: 14px; padding-top: 6px; }}
QGroupBox::title {{ subcontrol-origin: margin; left: 8px; color: {TEXT_DIM}; }}
QSlider::groove:horizontal {{ height: 4px; background: #3b3e44; border-radius: 2px; }}
QSlider::handle:horizontal {{ width: 10px; margin: -5px 0; background: #c9ccd2; border-radius: 5px; }}
QSlider::sub-page:horizontal {{ background: #6b7079; border-radius: 2px; }}
#TransportBar {{ background: {PANEL}; border-bottom: 1px solid {BORDER}; }}
#PositionDisplay {{ background: #0f1012; border: 1px solid #33363c; border-radius: 4px;
                   color: {ACCENT}; font-family: "DejaVu Sans Mono", monospace; padding: 2px 10px; }}
#PaneTitle {{ color: {TEXT_DIM}; font-weight: bold; }}
#PaneBar {{ background: {PANEL}; border-bottom: 1px solid {BORDER}; }}
#PlaybackNote {{ color: {TEXT_DIM}; }}
"""


CHECK_BORDER = "#9ba0a8"
"""A check box's outline: Fusion derives it from the window colour, which on this dark
palette left unticked boxes (Infill's tracks, Export's outputs) all but invisible."""
CHECK_MARK = "#15161a"


class PartitaStyle(QProxyStyle):
    """Fusion, with check boxes (buttons and list items) and spin box arrows that stand out on
    the dark theme (under the style sheet Fusion drew the spin buttons without arrows)."""

    CHECKS = (QStyle.PrimitiveElement.PE_IndicatorCheckBox,
              QStyle.PrimitiveElement.PE_IndicatorItemViewItemCheck)
    SPIN_ARROWS = {QStyle.PrimitiveElement.PE_IndicatorSpinUp: True,
                   QStyle.PrimitiveElement.PE_IndicatorSpinPlus: True,
                   QStyle.PrimitiveElement.PE_IndicatorSpinDown: False,
                   QStyle.PrimitiveElement.PE_IndicatorSpinMinus: False}

    def __init__(self) -> None:
        super().__init__(QStyleFactory.create("Fusion"))

    def drawPrimitive(self, element: QStyle.PrimitiveElement, option: QStyleOption,  # noqa: N802
                      painter: QPainter, widget: QWidget | None = None) -> None:
        if element in self.CHECKS:
            draw_check_box(painter, QRectF(option.rect), option.state)
        elif element in self.SPIN_ARROWS:
            draw_spin_arrow(painter, QRectF(option.rect), option.state, up=self.SPIN_ARROWS[element])
        else:
            super().drawPrimitive(element, option, painter, widget)


def draw_check_box(painter: QPainter, rect: QRectF, state: QStyle.StateFlag) -> None:
    """An outlined box; ticked: filled with the accent and a dark tick; partly: a dash."""
    side = min(rect.width(), rect.height()) - 1
    box = QRectF(rect.center().x() - side / 2, rect.center().y() - side / 2, side, side)
    enabled = bool(state & QStyle.StateFlag.State_Enabled)
    on = bool(state & QStyle.StateFlag.State_On)
    partly = bool(state & QStyle.StateFlag.State_NoChange)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    border = QColor(CHECK_BORDER if enabled else TEXT_DIM)
    if state & QStyle.StateFlag.State_MouseOver and enabled:
        border = QColor(TEXT)
    painter.setPen(QPen(border, 1.2))
    painter.setBrush(QColor(ACCENT if (on or partly) and enabled else "#1b1c20"))
    painter.drawRoundedRect(box, 2.5, 2.5)
    painter.setPen(QPen(QColor(CHECK_MARK), max(1.6, side / 7), Qt.PenStyle.SolidLine,
                        Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    if on:
        tick = QPainterPath(QPointF(box.left() + side * 0.22, box.top() + side * 0.52))
        tick.lineTo(box.left() + side * 0.42, box.top() + side * 0.72)
        tick.lineTo(box.left() + side * 0.78, box.top() + side * 0.30)
        painter.drawPath(tick)
    elif partly:
        painter.drawLine(QPointF(box.left() + side * 0.25, box.center().y()),
                         QPointF(box.right() - side * 0.25, box.center().y()))
    painter.restore()


def draw_spin_arrow(painter: QPainter, rect: QRectF, state: QStyle.StateFlag, *, up: bool) -> None:
    """A small solid triangle in the middle of a spin button (``up``: pointing up); dim when
    the button cannot step further or is disabled."""
    enabled = bool(state & QStyle.StateFlag.State_Enabled)
    half = min(max(rect.height() * 0.4, 3.0), 5.0)  # the rect is the button's narrow inside
    height = half
    centre = rect.center()
    tip_y = centre.y() - height / 2 if up else centre.y() + height / 2
    base_y = centre.y() + height / 2 if up else centre.y() - height / 2
    arrow = QPainterPath(QPointF(centre.x() - half, base_y))
    arrow.lineTo(centre.x() + half, base_y)
    arrow.lineTo(centre.x(), tip_y)
    arrow.closeSubpath()
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(CHECK_BORDER if enabled else "#4a4e55"))
    painter.drawPath(arrow)
    painter.restore()


def apply(app: QApplication) -> None:
    """Fusion style (with visible check boxes), the dark palette and the style sheet, for the app."""
    app.setStyle(PartitaStyle())
    palette = QPalette()
    for role, color in ((QPalette.ColorRole.Window, PANEL), (QPalette.ColorRole.WindowText, TEXT),
                        (QPalette.ColorRole.Base, "#1b1c20"), (QPalette.ColorRole.AlternateBase, LANE),
                        (QPalette.ColorRole.Text, TEXT), (QPalette.ColorRole.Button, "#30333a"),
                        (QPalette.ColorRole.ButtonText, TEXT), (QPalette.ColorRole.Highlight, ACCENT),
                        (QPalette.ColorRole.HighlightedText, "#111111"),
                        (QPalette.ColorRole.ToolTipBase, "#2f3237"), (QPalette.ColorRole.ToolTipText, TEXT),
                        (QPalette.ColorRole.PlaceholderText, TEXT_DIM)):
        palette.setColor(role, QColor(color))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor(TEXT_DIM))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor(TEXT_DIM))
    app.setPalette(palette)
    font = QFont(app.font())
    font.setPointSizeF(max(font.pointSizeF(), 9.5))
    app.setFont(font)
    app.setStyleSheet(STYLE_SHEET)
