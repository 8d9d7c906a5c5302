"""The note editor pane: tool bar, keyboard + piano roll + pitch scroll bar, velocity lane."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (QComboBox, QGridLayout, QHBoxLayout, QLabel, QScrollBar, QToolButton,
                               QVBoxLayout, QWidget)

from app.roles import GM_NAMES
from app.settings import GRIDS, Settings
from ui import theme
from ui.document_model import DocumentModel
from ui.elided_label import ElidedLabel
from ui.piano_keys import PianoKeys, PitchAxis
from ui.piano_roll import PianoRoll
from ui.time_axis import TimeAxis
from ui.velocity_lane import VelocityLane

SCROLL_SCALE = 10


class EditorPane(QWidget):
    """Lifecycle: one per window; follows the selected track."""

    def __init__(self, model: DocumentModel, axis: TimeAxis, settings: Settings,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model, self.settings = model, settings
        self.pitch_axis = PitchAxis(self)
        self.roll = PianoRoll(model, axis, self.pitch_axis)
        self.roll.set_grid(settings.grid)
        self.keys = PianoKeys(self.pitch_axis)
        self.velocity = VelocityLane(self.roll)
        self.pitch_bar = QScrollBar(Qt.Orientation.Vertical)
        self.pitch_bar.valueChanged.connect(self._pitch_scrolled)
        self.keys.key_clicked.connect(self._select_pitch)
        self.pitch_axis.changed.connect(self._sync_pitch_bar)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(self._tool_bar())
        grid = QGridLayout()
        grid.setSpacing(0)
        grid.addWidget(self.keys, 0, 0)
        grid.addWidget(self.roll, 0, 1)
        grid.addWidget(self.pitch_bar, 0, 2)
        velocity_label = QLabel("Velocity")
        velocity_label.setFixedWidth(theme.HEADER_WIDTH)
        velocity_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        velocity_label.setStyleSheet(f"background: {theme.HEADER}; color: {theme.TEXT_DIM}; padding-right: 10px;"
                                     f"border-top: 1px solid {theme.BORDER}")
        grid.addWidget(velocity_label, 1, 0)
        grid.addWidget(self.velocity, 1, 1)
        spacer = QWidget()
        spacer.setFixedWidth(theme.GUTTER_WIDTH)
        grid.addWidget(spacer, 1, 2)
        outer.addLayout(grid, 1)
        model.selected_track_changed.connect(self._show_track)
        model.track_changed.connect(lambda _id: self._show_track())
        model.notes_changed.connect(self._notes_changed)
        model.document_replaced.connect(self._show_track)
        self._show_track()

    def _tool_bar(self) -> QWidget:
        bar = QWidget()
        bar.setObjectName("PaneBar")
        bar.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        box = QHBoxLayout(bar)
        box.setContentsMargins(10, 3, 10, 3)
        caption = QLabel("Piano roll")
        caption.setObjectName("PaneTitle")
        box.addWidget(caption)
        self.title = ElidedLabel()
        self.title.setObjectName("PaneTitle")
        box.addWidget(self.title)
        box.addSpacing(16)
        self.tool_box = QHBoxLayout()
        box.addLayout(self.tool_box)
        box.addSpacing(12)
        box.addWidget(QLabel("Grid"))
        self.grid = QComboBox()
        self.grid.addItems(GRIDS)
        self.grid.setCurrentText(self.settings.grid)
        self.grid.setToolTip("Snap grid for drawing, moving and resizing notes (hold Alt to drag freely)")
        self.grid.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.grid.currentTextChanged.connect(self._grid_chosen)
        box.addWidget(self.grid)
        self.info = ElidedLabel()
        self.info.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.info.setStyleSheet(f"color: {theme.TEXT_DIM}")
        box.addWidget(self.info, 1)
        return bar

    def add_tool_buttons(self, actions: dict[str, QAction]) -> None:
        """Buttons for the window's note tools (the actions own the shortcuts)."""
        for name in ("select", "draw"):
            button = QToolButton()
            button.setDefaultAction(actions[name])
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            self.tool_box.addWidget(button)

    def _grid_chosen(self, grid: str) -> None:
        self.settings.grid = grid
        self.roll.set_grid(grid)

    def _show_track(self, *_args) -> None:
        track = self.model.selected_track()
        if track is None:
            self.title.setText("")
            self.info.setText("")
            self.keys.set_caption([], theme.track_color_default())
            return
        self.title.setText(f"— {track.name}")
        self.title.setStyleSheet(f"color: {theme.track_color(track).name()}")
        midi = self.model.selected_midi_track()
        if midi is not None:
            instrument = "Drum kit" if midi.is_drum else GM_NAMES[midi.program]
            self.info.setText(f"{len(midi.notes)} notes · {midi.role.value} · {instrument}")
            self.keys.set_caption([track.name, instrument, f"{midi.role.value} · {len(midi.notes)} notes"],
                                  theme.track_color(track), drums=midi.is_drum)
        else:
            self.info.setText("audio track")
            self.keys.set_caption([track.name, "audio track"], theme.track_color(track))

    def _notes_changed(self, track_id: str) -> None:
        if track_id == self.model.selected_track_id:
            self._show_track()  # the note count

    def _select_pitch(self, pitch: int) -> None:
        track = self.roll.track()
        if track is not None:
            self.roll.set_selection([n for n in track.notes if n.pitch == pitch])

    def _sync_pitch_bar(self) -> None:
        pa = self.pitch_axis
        visible = pa.view_height / pa.row_height
        self.pitch_bar.blockSignals(True)
        self.pitch_bar.setRange(0, int(max(0.0, 128 - visible) * SCROLL_SCALE))
        self.pitch_bar.setPageStep(int(visible * SCROLL_SCALE))
        self.pitch_bar.setValue(int((128 - pa.top) * SCROLL_SCALE))
        self.pitch_bar.blockSignals(False)

    def _pitch_scrolled(self, value: int) -> None:
        self.pitch_axis.set_top(128 - value / SCROLL_SCALE)

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.velocity.fit_height(self.height())
        self._sync_pitch_bar()
