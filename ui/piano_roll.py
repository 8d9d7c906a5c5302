"""The piano roll of the selected MIDI track: drawing, selection and the editing verbs.

Painting touches only the visible notes (binary search over sorted arrays,
``NoteIndex``) and draws them as a few array-built paths, so 20,000 notes
repaint within a frame; the result is cached, and the playhead and drag
previews are drawn over the cache. Mouse gestures live in ``note_mouse``.

Keys (while the roll has focus): Delete/Backspace delete, Ctrl+A select all,
Ctrl+D duplicate, Left/Right nudge by the grid, Up/Down transpose a
semitone, Ctrl+Up/Down an octave, Ctrl+Left/Right move a bar, Esc deselect,
B toggles the draw tool.
"""
from __future__ import annotations

from typing import Collection

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QKeyEvent, QPainter, QWheelEvent

from app import note_edits
from app.commands import AddNotes, Command, RemoveNotes, ReplaceNotes
from app.project import MidiTrack, Note
from ui import theme
from ui.document_model import DocumentModel
from ui.lane import TimeLane
from ui.note_index import NoteIndex
from ui.note_mouse import NoteMouse
from ui.painter_paths import draw_bars
from ui.piano_keys import BLACK, PitchAxis, pitch_name, wheel_pitch
from ui.snap import grid_ticks
from ui.time_axis import TimeAxis

MAX_LABELS = 600
EMPTY_VIEW = (55, 77)
"""Pitches an empty track shows: G3 to F5."""
MIN_HEIGHT = 96
"""Pixels: eight rows of notes at the default zoom, on the smallest screen."""
MAX_BORDERED = 4000


class PianoRoll(TimeLane):
    """Lifecycle: one per window; shows whichever MIDI track the model selects."""

    selection_changed = Signal()
    told = Signal(str)
    """A sentence for the status bar about what an edit did besides the obvious."""
    tool_changed = Signal(str)

    def __init__(self, model: DocumentModel, axis: TimeAxis, pitch_axis: PitchAxis, parent=None) -> None:
        super().__init__(axis, parent)
        self.model = model
        self.pitch_axis = pitch_axis
        self.grid = "1/16"
        self.tool = "select"
        self.selection: set[Note] = set()
        self.hidden: set[Note] = set()
        self._known: set[Note] = set()
        """The shown track's notes as last seen, to find the ones an edit brought."""
        self.mouse = NoteMouse(self)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumHeight(MIN_HEIGHT)
        self.setToolTip("Piano roll · double-click or draw tool (B) adds a note · drag moves, drag the end "
                        "resizes · Delete removes · Alt disables snapping")
        model.notes_changed.connect(self._notes_changed)
        model.selected_track_changed.connect(self._track_selected)
        model.track_changed.connect(lambda _id: self.invalidate())
        model.tracks_changed.connect(self.invalidate)
        model.document_replaced.connect(lambda: self._track_selected(model.selected_track_id))
        pitch_axis.changed.connect(self.invalidate)

    # -- what is shown ---------------------------------------------------------------------
    def track(self) -> MidiTrack | None:
        return self.model.selected_midi_track()

    def index(self) -> NoteIndex | None:
        track = self.track()
        return self.model.note_index(track.id) if track is not None else None

    def step(self) -> int:
        return grid_ticks(self.grid, self.project.time_signature)

    def set_grid(self, grid: str) -> None:
        self.grid = grid
        self.invalidate()

    def set_tool(self, tool: str) -> None:
        if tool != self.tool:
            self.tool = tool
            self.setCursor(Qt.CursorShape.CrossCursor if tool == "draw" else Qt.CursorShape.ArrowCursor)
            self.tool_changed.emit(tool)

    def set_selection(self, notes) -> None:
        self.selection = set(notes)
        self.invalidate()
        self.selection_changed.emit()

    def _notes_changed(self, track_id: str) -> None:
        track = self.track()
        if track is not None and track.id == track_id:
            present = set(track.notes)
            if not self.selection <= present:
                self.selection &= present
                self.selection_changed.emit()
            arrived, self._known = present - self._known, present
            self.reveal(arrived, whole=True)  # what an engine, an undo or a paste put there
            self.invalidate()

    def _track_selected(self, _track_id: str) -> None:
        self.selection.clear()
        self.hidden.clear()
        track = self.track()
        self._known = set(track.notes) if track is not None else set()
        self.reveal_track()
        self.invalidate()
        self.selection_changed.emit()

    def reveal_track(self) -> None:
        """Bring the shown track's notes into view (its middle octaves when it has none)."""
        track = self.track()
        if track is not None and track.notes:
            self.reveal(track.notes)
        else:
            self.pitch_axis.center_on(*EMPTY_VIEW)

    def reveal(self, notes: Collection[Note], *, whole: bool = False) -> None:
        """Scroll (and, if need be, zoom the rows) so ``notes`` are in view; no move when they
        are already. In time the view moves only when none of them is visible, or with
        ``whole``, when any is not."""
        if not notes:
            return
        self.pitch_axis.reveal(min(n.pitch for n in notes), max(n.pitch for n in notes))
        start, end = min(n.start for n in notes), max(n.end for n in notes)
        seconds = self.project.tick_to_seconds([start, end])
        self.axis.reveal(float(seconds[0]), float(seconds[1]), whole=whole)

    # -- geometry (also what tests click on) -------------------------------------------------
    def note_rect(self, note: Note) -> QRectF:
        x0, x1 = (float(x) for x in self.axis.tick_to_x(np.array([note.start, note.end])))
        y = float(self.pitch_axis.pitch_to_y(note.pitch))
        return QRectF(x0, y, max(1.0, x1 - x0), self.pitch_axis.row_height)

    def point_for(self, tick: float, pitch: int) -> QPointF:
        """Widget point at ``tick`` in the middle of ``pitch``'s row."""
        y = float(self.pitch_axis.pitch_to_y(pitch)) + self.pitch_axis.row_height / 2
        return QPointF(float(self.axis.tick_to_x(tick)), y)

    # -- painting -----------------------------------------------------------------------------------
    def paint_content(self, painter: QPainter, width: int, height: int) -> None:
        self._paint_rows(painter, width, height)
        self.paint_grid(painter, width, height, sub_ticks=self.step())
        track, index = self.track(), self.index()
        if track is None or index is None:
            self._paint_message(painter, width, height)
            return
        pa = self.pitch_axis
        t0, t1 = self.axis.visible_seconds(width)
        shown = index.visible(t0, t1, pa.y_to_pitch(height) - 1, pa.y_to_pitch(0) + 1)
        if len(shown) == 0:
            return
        selected = np.zeros(len(index), dtype=bool)
        selected[index.indices_of(self.selection)] = True
        hidden = np.zeros(len(index), dtype=bool)
        hidden[index.indices_of(self.hidden)] = True
        color = theme.track_color(track)
        self._paint_notes(painter, index, shown[~selected[shown] & ~hidden[shown]], color, selected=False)
        self._paint_notes(painter, index, shown[selected[shown] & ~hidden[shown]], color, selected=True)
        ghosts = shown[hidden[shown]]
        self._bars(painter, index, ghosts, theme.with_alpha(color, 60), None)
        self._paint_labels(painter, index, shown[~hidden[shown]])

    def _paint_rows(self, painter: QPainter, width: int, height: int) -> None:
        pa = self.pitch_axis
        painter.fillRect(0, 0, width, height, QColor(theme.WHITE_KEY_ROW))
        track = self.track()
        scale = None if track is not None and track.is_drum else _scale_pitch_classes(self.project.key)
        for pitch in range(max(0, pa.y_to_pitch(height)), min(127, pa.y_to_pitch(0)) + 1):
            y = float(pa.pitch_to_y(pitch))
            dark = pitch % 12 in BLACK if scale is None else pitch % 12 not in scale
            if dark:
                painter.fillRect(QRectF(0, y, width, pa.row_height), QColor(theme.BLACK_KEY_ROW))
            if pitch % 12 == 0:
                painter.fillRect(QRectF(0, y + pa.row_height - 1, width, 1), QColor(theme.GRID_BEAT))

    def _bars(self, painter: QPainter, index: NoteIndex, idx: np.ndarray, fill: QColor,
              border: QColor | None) -> None:
        if len(idx) == 0:
            return
        pa = self.pitch_axis
        x0 = self.axis.sec_to_x(index.start_s[idx])
        x1 = self.axis.sec_to_x(index.end_s[idx])
        y = pa.pitch_to_y(index.pitch[idx].astype(np.float64)) + pa.row_height / 2
        draw_bars(painter, x0, x1, y, max(1.0, pa.row_height - 1), fill, border)

    def _paint_notes(self, painter: QPainter, index: NoteIndex, idx: np.ndarray, color: QColor, *,
                     selected: bool) -> None:
        bordered = len(idx) <= MAX_BORDERED
        if selected:
            self._bars(painter, index, idx, QColor(color.lighter(160)), QColor(theme.SELECTION))
            return
        velocity = index.velocity[idx]
        shades = (color.darker(185), color.darker(140), color, color.lighter(120))
        bucket = np.digitize(velocity, (48, 80, 108))
        for level, shade in enumerate(shades):
            part = idx[bucket == level]
            self._bars(painter, index, part, QColor(shade), QColor(color.darker(300)) if bordered else None)

    def _paint_labels(self, painter: QPainter, index: NoteIndex, idx: np.ndarray) -> None:
        if self.pitch_axis.row_height < 11 or len(idx) > MAX_LABELS:
            return
        font = QFont(self.font())
        font.setPointSizeF(7.5)
        painter.setFont(font)
        painter.setPen(QColor("#15161a"))
        for i in idx.tolist():
            rect = self.note_rect(index.notes[i])
            if rect.width() >= 26:
                painter.drawText(rect.adjusted(3, 0, 0, 0), Qt.AlignmentFlag.AlignVCenter,
                                 pitch_name(int(index.pitch[i])))

    def _paint_message(self, painter: QPainter, width: int, height: int) -> None:
        track = self.model.selected_track()
        text = ("Select a MIDI track to edit its notes" if track is None else
                f"“{track.name}” is an audio track · select a MIDI track to edit notes")
        painter.setPen(QColor(theme.TEXT_DIM))
        painter.drawText(QRectF(0, 0, width, height), Qt.AlignmentFlag.AlignCenter, text)

    def paint_overlay(self, painter: QPainter) -> None:
        self.mouse.paint(painter)

    # -- editing verbs (menus, keys) ------------------------------------------------------------------
    def _edit(self, old: list[Note], new: list[Note], label: str) -> None:
        track = self.track()
        if track is None or not old or old == new:
            return
        self._place(track, old, new, label)

    def add_notes(self, notes: list[Note]) -> None:
        track = self.track()
        if track is not None and notes:
            self._place(track, [], notes, AddNotes.label)

    def _place(self, track: MidiTrack, old: list[Note], new: list[Note], label: str) -> None:
        """Replace ``old`` by ``new`` as one undo step; notes of the same pitch that ``new`` lands
        on give way as a DAW's do (``note_edits.overlaps``), and the status bar says so."""
        moving = set(old)
        hit = note_edits.overlaps(new, [n for n in track.notes if n not in moving])
        if not hit:
            command: Command = (ReplaceNotes(track.id, old, new, label=label) if old
                                else AddNotes(track.id, new))
        else:
            command = ReplaceNotes(track.id, [*old, *hit.removed, *(before for before, _ in hit.shortened)],
                                   [*new, *(after for _, after in hit.shortened)], label=label)
        if self.model.push(command):
            self.set_selection(new)
            if hit:
                self.told.emit(f"{label}: {hit.describe()} (Ctrl+Z undoes)")

    def delete_selection(self) -> None:
        track = self.track()
        if track is not None and self.selection:
            notes = sorted(self.selection & set(track.notes), key=lambda n: (n.start, n.pitch))
            if notes and self.model.push(RemoveNotes(track.id, notes)):
                self.set_selection([])

    def select_all(self) -> None:
        track = self.track()
        self.set_selection(track.notes if track is not None else [])

    def duplicate(self) -> None:
        copies = note_edits.duplicated(sorted(self.selection, key=lambda n: n.start), self.step())
        self.add_notes(copies)

    def nudge(self, steps: int) -> None:
        old = sorted(self.selection, key=lambda n: n.start)
        self._edit(old, note_edits.shifted(old, steps * (self.step() or 1), 0), "Nudge notes")

    def move_bars(self, bars: int) -> None:
        old = sorted(self.selection, key=lambda n: n.start)
        self._edit(old, note_edits.shifted(old, bars * self.project.ticks_per_bar, 0), "Move notes")

    def transpose(self, semitones: int) -> None:
        old = sorted(self.selection, key=lambda n: n.start)
        self._edit(old, note_edits.shifted(old, 0, semitones), "Transpose notes")

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if not self.handle_key(event.key(), event.modifiers()):
            super().keyPressEvent(event)

    def handle_key(self, key: int, mods) -> bool:
        ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
        K = Qt.Key
        table = {
            (K.Key_Delete, False): self.delete_selection, (K.Key_Backspace, False): self.delete_selection,
            (K.Key_A, True): self.select_all, (K.Key_D, True): self.duplicate,
            (K.Key_Left, False): lambda: self.nudge(-1), (K.Key_Right, False): lambda: self.nudge(1),
            (K.Key_Left, True): lambda: self.move_bars(-1), (K.Key_Right, True): lambda: self.move_bars(1),
            (K.Key_Up, False): lambda: self.transpose(1), (K.Key_Down, False): lambda: self.transpose(-1),
            (K.Key_Up, True): lambda: self.transpose(12), (K.Key_Down, True): lambda: self.transpose(-12),
            (K.Key_Escape, False): lambda: self.set_selection([]),
            (K.Key_B, False): lambda: self.set_tool("select" if self.tool == "draw" else "draw"),
        }
        action = table.get((key, ctrl))
        if action is None:
            return False
        action()
        return True

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802
        mods = event.modifiers()
        if mods & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier) \
                or abs(event.angleDelta().x()) > abs(event.angleDelta().y()) and not mods:
            super().wheelEvent(event)
        else:
            wheel_pitch(self.pitch_axis, event)

    def resizeEvent(self, event) -> None:  # noqa: N802
        self.pitch_axis.view_height = self.height()
        super().resizeEvent(event)

    # mouse events are delegated to ``NoteMouse``
    def mousePressEvent(self, event) -> None:  # noqa: N802
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        self.mouse.press(event)

    def mouseMoveEvent(self, event) -> None:  # noqa: N802
        self.mouse.move(event)

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802
        self.mouse.release(event)

    def mouseDoubleClickEvent(self, event) -> None:  # noqa: N802
        self.mouse.double_click(event)


def _scale_pitch_classes(key: str | None) -> frozenset[int] | None:
    """Pitch classes of the key's scale (``engines.compose.keys.scale_classes``: minor keys have
    both the natural and the raised 7th, as scale lock does), or None without a key."""
    from app.project import parse_key
    from engines.compose.keys import scale_classes

    try:
        parsed = parse_key(key)
    except ValueError:
        return None
    if parsed is None:
        return None
    return scale_classes(*parsed)
