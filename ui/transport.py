"""The transport bar: play/stop, loop, position (bars.beats and time), tempo, meter and key.

Tempo, meter and key edits are commands (undoable). The note at the right
says why playback is limited (no PortAudio, no device, no MIDI renderer);
it elides to the room left and keeps the whole story in its tooltip. The
engines' toolbar sits between the key and that note (``add_tools``) and
overflows into a chevron menu when the window is narrow.
"""
from __future__ import annotations

import re

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (QComboBox, QDoubleSpinBox, QHBoxLayout, QLabel, QSizePolicy, QToolButton,
                               QWidget)

from app.commands import SetProjectProps, set_tempo
from app.player import seconds_to_bars_beats
from app.project import MODES, PITCH_NAMES, TimeSignature, format_key, parse_key
from ui.document_model import DocumentModel
from ui.elided_label import ElidedLabel
from ui.qt_player import QtPlayer
from ui.time_axis import TimeAxis

METERS = ("2/4", "3/4", "4/4", "5/4", "6/8", "7/8", "9/8", "12/8")
NO_KEY = "no key"
POSITION_WIDEST = "999.9.9   99:99.999"
NOTE_MIN_CHARS = 14
"""The playback note keeps room for this many characters ("No sound: no a…") when engine buttons crowd it."""
POSITION_PADDING = 24
"""Pixels around the position text (the style sheet's padding and border)."""


def format_time(seconds: float) -> str:
    minutes, rest = divmod(max(0.0, seconds), 60)
    return f"{int(minutes)}:{rest:06.3f}"


class TransportBar(QWidget):
    def __init__(self, model: DocumentModel, axis: TimeAxis, player: QtPlayer,
                 actions: dict[str, QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model, self.axis, self.player = model, axis, player
        self.setObjectName("TransportBar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        box = QHBoxLayout(self)
        box.setContentsMargins(10, 6, 10, 6)
        box.setSpacing(6)
        for name in ("to_start", "play", "loop", "follow"):
            button = QToolButton()
            button.setDefaultAction(actions[name])
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
            button.setIconSize(QSize(18, 18))
            button.setFixedSize(QSize(34, 28))
            box.addWidget(button)
        self.position = QLabel()
        self.position.setObjectName("PositionDisplay")
        self.position.setToolTip("Playhead: bar.beat.sixteenth and minutes:seconds")
        box.addWidget(self.position)
        self.position.ensurePolished()  # the style sheet's monospace font, to measure with
        self.position.setMinimumWidth(self.position.fontMetrics().horizontalAdvance(POSITION_WIDEST)
                                      + POSITION_PADDING)
        box.addSpacing(10)
        self.tempo = QDoubleSpinBox()
        self.tempo.setRange(10, 999)
        self.tempo.setDecimals(1)
        self.tempo.setSuffix(" BPM")
        self.tempo.setKeyboardTracking(False)
        self.tempo.setToolTip("Tempo in beats per minute (type, then Enter)")
        self.tempo.valueChanged.connect(self._tempo_edited)
        self.meter = QComboBox()
        self.meter.setEditable(True)
        self.meter.addItems(METERS)
        self.meter.setToolTip("Meter: the time signature (type any, e.g. 11/8)")
        self.meter.lineEdit().editingFinished.connect(self._meter_edited)
        self.meter.activated.connect(lambda _i: self._meter_edited())
        self.key = QComboBox()
        self.key.addItems([NO_KEY] + [f"{p}:{m}" for m in MODES for p in PITCH_NAMES])
        self.key.setToolTip("Key (engines keep to its scale; the piano roll shades notes outside it)")
        self.key.activated.connect(self._key_edited)
        for widget in (self.tempo, self.meter, self.key):  # "96.0 BPM", "4/4", "A:minor" say what they are
            box.addWidget(widget)
        self.tools_at = box.count()
        box.addSpacing(10)
        self.note = ElidedLabel()
        self.note.setObjectName("PlaybackNote")
        self.note.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        # Ignored: the note takes what the engine buttons leave, never their room.
        self.note.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.note.setMinimumWidth(self.note.fontMetrics().averageCharWidth() * NOTE_MIN_CHARS)
        box.addWidget(self.note, 1)
        axis.playhead_changed.connect(lambda _o, new: self.show_position(new))
        model.meta_changed.connect(self.sync)
        model.document_replaced.connect(self.sync)
        player.status_changed.connect(self.show_status)
        self.sync()

    def sync(self) -> None:
        project = self.model.project
        for widget in (self.tempo, self.meter, self.key):
            widget.blockSignals(True)
        self.tempo.setValue(project.tempo)
        self.meter.setCurrentText(str(project.time_signature))
        self.key.setCurrentText(_key_text(project.key))
        for widget in (self.tempo, self.meter, self.key):
            widget.blockSignals(False)
        self.show_position(self.axis.playhead)

    def add_tools(self, widget: QWidget) -> None:
        """Place ``widget`` (the engines' toolbar) after the tempo, meter and key; it gets the
        room it asks for before the playback note does."""
        self.layout().insertWidget(self.tools_at, widget)
        self.tools_at += 1

    def show_position(self, seconds: float) -> None:
        bar, beat, sixteenth = seconds_to_bars_beats(self.model.project, seconds)
        self.position.setText(f"{bar:>3}.{beat}.{sixteenth}   {format_time(seconds)}")

    def show_status(self, text: str) -> None:
        """Show why playback is limited: the gist here, the whole story in the tooltip."""
        parts = [_gist(part) for part in text.split(" · ") if part]
        self.note.setText("  ·  ".join(parts))
        self.note.setToolTip(text)

    def _tempo_edited(self, value: float) -> None:
        if abs(value - self.model.project.tempo) > 1e-6:
            self.model.push(set_tempo(value))

    def _meter_edited(self) -> None:
        text = self.meter.currentText().strip()
        if text == str(self.model.project.time_signature):
            return
        try:
            signature = TimeSignature.parse(text)
        except ValueError as exc:
            self.model.error.emit(str(exc))
            self.sync()
            return
        self.model.push(SetProjectProps(time_signature=signature))

    def _key_edited(self, _index: int) -> None:
        text = self.key.currentText()
        key = None if text == NO_KEY else text
        if key != self.model.project.key:
            self.model.push(SetProjectProps(key=key))


def _key_text(key: str | None) -> str:
    """The key as the combo lists it ("Db:major" -> "C#:major"), or "no key"."""
    try:
        parsed = parse_key(key)
    except ValueError:
        return NO_KEY
    return format_key(*parsed) if parsed else NO_KEY


def _gist(reason: str) -> str:
    """ "playback is off: no audio output device (Error -1)" -> "No sound: no audio output device"
    (a technical detail in brackets at the end is left to the tooltip)."""
    reason = re.sub(r" \([^()]*\)$", "", reason)
    if reason.startswith("playback is off: "):
        return "No sound: " + reason[len("playback is off: "):]
    return reason[:1].upper() + reason[1:]
