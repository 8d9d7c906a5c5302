"""One track's header in the track list: colour, name, role, instrument, mute/solo, gain.

Every control edits the project through a command (one undo step each; a
gain drag is one step when released). Double-click the name to rename; drag
the header to reorder or out of the window to export; right-click for more.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import (QComboBox, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QSlider,
                               QToolButton, QWidget)

from app.commands import SetTrackProps
from app.project import AudioTrack, MidiTrack, Role, Track
from app.roles import GM_NAMES
from ui import theme
from ui.dnd import TrackDragStarter
from ui.document_model import DocumentModel
from ui.elided_label import ElidedLabel

DRUM_KIT = "Drum kit (GM)"


NAME_TIP = "Double-click to rename · drag to reorder, or out to your DAW (Alt: as WAV)"
GROUP_INDENT = 10
"""Pixels a grouped track's header is indented by."""


class _WheelPassesBy(QObject):
    """Scrolling over the track list must not change roles, instruments or gains on the way."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.Wheel and not watched.hasFocus():
            event.ignore()  # ignored: Qt hands it on to the scroll area
            return True
        return False
GAIN_MIN, GAIN_MAX = -60.0, 12.0


class TrackHeader(QWidget):
    """Lifecycle: made by the track list for one track id, refreshed by ``sync()``."""

    clicked = Signal(str)
    context_menu = Signal(str, object)
    """(track id, global QPoint)."""

    def __init__(self, model: DocumentModel, track_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.track_id = track_id
        self.selected = False
        self.setFixedSize(theme.HEADER_WIDTH, theme.TRACK_ROW_HEIGHT)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._drag = TrackDragStarter(self, model, track_id)
        self._build()
        self.sync()

    def track(self) -> Track | None:
        """The track, or None once it left the project (the row is about to go)."""
        try:
            return self.model.project.track(self.track_id)
        except KeyError:
            return None

    # -- construction ------------------------------------------------------------------------
    def _build(self) -> None:
        grid = QGridLayout(self)
        grid.setContentsMargins(12, 4, 6, 4)
        grid.setVerticalSpacing(3)
        grid.setHorizontalSpacing(4)
        self.name = QLabel()
        self.name.setToolTip(NAME_TIP)
        self.name_edit = QLineEdit()
        self.name_edit.hide()
        self.name_edit.editingFinished.connect(self._rename_done)
        self.mute = self._toggle("M", "Mute (the track stays silent in playback and mixes)")
        self.solo = self._toggle("S", "Solo (only soloed tracks play)")
        top = QHBoxLayout()
        top.setSpacing(3)
        top.addWidget(self.name, 1)
        top.addWidget(self.name_edit, 1)
        top.addWidget(self.mute)
        top.addWidget(self.solo)
        grid.addLayout(top, 0, 0, 1, 2)
        self.role = QComboBox()
        self.role.addItems([r.value for r in Role])
        self.role.setToolTip("Role: what the track does in the arrangement (engines condition on it)")
        self.role.activated.connect(lambda _: self._set(role=Role(self.role.currentText())))
        self.instrument = QComboBox()
        self.instrument.setToolTip("Instrument: General MIDI program or drum kit")
        self.instrument.addItems([f"{i + 1:3d} {name}" for i, name in enumerate(GM_NAMES)] + [DRUM_KIT])
        self.instrument.activated.connect(self._instrument_chosen)
        self.audio_info = ElidedLabel()
        self.audio_info.setStyleSheet(f"color: {theme.TEXT_DIM}")
        grid.addWidget(self.role, 1, 0)
        grid.addWidget(self.instrument, 1, 1)
        grid.addWidget(self.audio_info, 1, 1)
        grid.setColumnStretch(1, 1)
        self.gain = QSlider(Qt.Orientation.Horizontal)
        self.gain.setRange(int(GAIN_MIN * 10), int(GAIN_MAX * 10))
        self.gain.setToolTip("Gain in dB (drag; arrow keys step 0.1 dB)")
        self.gain_label = QLabel()
        self.gain_label.setFixedWidth(54)
        self.gain_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.gain.valueChanged.connect(self._gain_moved)
        self.gain.sliderReleased.connect(self._commit_gain)
        self._gain_timer = QTimer(self, singleShot=True, interval=300, timeout=self._commit_gain)
        grid.addWidget(self.gain, 2, 0)
        grid.addWidget(self.gain_label, 2, 1, Qt.AlignmentFlag.AlignLeft)
        self._wheel_filter = _WheelPassesBy(self)
        for combo in (self.role, self.instrument):
            combo.setFixedHeight(20)
            combo.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        for widget in (self.role, self.instrument, self.gain):
            widget.installEventFilter(self._wheel_filter)

    def _toggle(self, text: str, tip: str) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setCheckable(True)
        button.setFixedSize(QSize(22, 18))
        button.setToolTip(tip)
        button.clicked.connect(lambda on, key=text: self._set(**{"muted" if key == "M" else "solo": on}))
        return button

    # -- model -> widgets --------------------------------------------------------------------
    def sync(self) -> None:
        """Show the track's current settings (no commands are sent)."""
        track = self.track()
        if track is None:
            return
        for widget in (self.role, self.instrument, self.mute, self.solo, self.gain):
            widget.blockSignals(True)
        self.name.setText(("↳ " if track.group else "") + track.name)
        self._show_group(track)
        self.role.setCurrentText(track.role.value)
        self.mute.setChecked(track.muted)
        self.solo.setChecked(track.solo)
        self.gain.setValue(round(track.gain_db * 10))
        self.gain_label.setText(f"{track.gain_db:+.1f} dB")
        is_midi = isinstance(track, MidiTrack)
        self.instrument.setVisible(is_midi)
        self.audio_info.setVisible(not is_midi)
        if isinstance(track, MidiTrack):
            self.instrument.setCurrentIndex(len(GM_NAMES) if track.is_drum else track.program)
        elif isinstance(track, AudioTrack):
            seconds = track.seconds(self.model.project.sample_rate)
            kind = "stereo" if track.channels > 1 else "mono"
            self.audio_info.setText(f"{kind} · {int(seconds // 60)}:{seconds % 60:04.1f}")
            self.audio_info.setToolTip(f"Audio track, {kind}, {seconds:.1f} s at {self.model.project.sample_rate} Hz")
        for widget in (self.role, self.instrument, self.mute, self.solo, self.gain):
            widget.blockSignals(False)
        self.update()

    def _show_group(self, track: Track) -> None:
        """Indent a track grouped under another (a stem under its mix); say which in the tooltip."""
        try:
            parent = self.model.project.track(track.group) if track.group else None
        except KeyError:
            parent = None
        margins = self.layout().contentsMargins()
        self.layout().setContentsMargins(GROUP_INDENT + 12 if parent else 12, margins.top(), margins.right(),
                                         margins.bottom())
        self.name.setToolTip((f"Grouped under {parent.name} · " if parent else "") + NAME_TIP)

    def set_selected(self, selected: bool) -> None:
        if selected != self.selected:
            self.selected = selected
            self.update()

    # -- widgets -> commands -------------------------------------------------------------------
    def _set(self, **props) -> None:
        self.model.push(SetTrackProps(self.track_id, **props))

    def _instrument_chosen(self, index: int) -> None:
        if index == len(GM_NAMES):
            self._set(is_drum=True)
        else:
            self._set(is_drum=False, program=index)

    def _gain_moved(self, value: int) -> None:
        self.gain_label.setText(f"{value / 10:+.1f} dB")
        if not self.gain.isSliderDown():
            self._gain_timer.start()

    def _commit_gain(self) -> None:
        self._gain_timer.stop()
        value = self.gain.value() / 10
        track = self.track()
        if track is not None and abs(value - track.gain_db) > 1e-6:
            self._set(gain_db=value)

    def start_rename(self) -> None:
        track = self.track()
        if track is None:
            return
        self.name_edit.setText(track.name)
        self.name.hide()
        self.name_edit.show()
        self.name_edit.selectAll()
        self.name_edit.setFocus()

    def _rename_done(self) -> None:
        if self.name_edit.isHidden():
            return
        text = self.name_edit.text().strip()
        self.name_edit.hide()
        self.name.show()
        track = self.track()
        if text and track is not None and text != track.name:
            self._set(name=text)

    # -- events -----------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        track = self.track()
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(theme.HEADER_SELECTED if self.selected else theme.HEADER))
        if track is not None:
            painter.fillRect(0, 0, 7 if self.selected else 5, self.height(), theme.track_color(track))
        painter.fillRect(0, self.height() - 1, self.width(), 1, QColor(theme.BORDER))
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit(self.track_id)
            self._drag.press(event)
        elif event.button() == Qt.MouseButton.RightButton:
            self.clicked.emit(self.track_id)
            self.context_menu.emit(self.track_id, event.globalPosition().toPoint())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self._drag.move(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self.name.geometry().adjusted(-4, -4, 4, 4).contains(event.position().toPoint()):
            self.start_rename()
