"""Mouse gestures on the piano roll: select, rubber band, move, resize, draw, delete.

A gesture shows a live preview over the cached notes and becomes exactly one
command when the button is released (or none if nothing changed).

Select tool: click a note to select it (Shift toggles), drag it to move
(the whole selection), drag its right end to resize, drag on empty space for
a rubber band, double-click empty space to add a note, double-click a note to
delete it. Draw tool (B): press and drag on empty space draws a note.
Right-click deletes. Holding Alt while dragging turns snapping off.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPen

from app import note_edits
from app.commands import RemoveNotes
from app.project import Note
from ui import theme
from ui.painter_paths import draw_bars
from ui.snap import snap, snap_down

if TYPE_CHECKING:
    from ui.piano_roll import PianoRoll

RESIZE_ZONE = 6.0
DEFAULT_LENGTH = 240


@dataclass
class Gesture:
    kind: str
    """"move", "resize", "draw" or "rubber"."""
    origin: QPointF
    tick0: float
    pitch0: int
    notes: list[Note] = field(default_factory=list)
    grabbed: Note | None = None
    preview: list[Note] = field(default_factory=list)
    moved: bool = False
    box: QRectF | None = None


class NoteMouse:
    def __init__(self, roll: "PianoRoll") -> None:
        self.roll = roll
        self.gesture: Gesture | None = None
        self.velocity = 96

    # -- hit testing ---------------------------------------------------------------------------
    def hit(self, pos: QPointF) -> tuple[Note | None, str]:
        """The note under ``pos`` and the zone ("body" or "end")."""
        index = self.roll.index()
        if index is None:
            return None, ""
        i = index.at(self.roll.axis.x_to_sec(pos.x()), self.roll.pitch_axis.y_to_pitch(pos.y()))
        if i < 0:
            return None, ""
        note = index.notes[i]
        rect = self.roll.note_rect(note)
        zone = "end" if rect.width() >= 2 * RESIZE_ZONE and rect.right() - pos.x() <= RESIZE_ZONE else "body"
        return note, zone

    def _where(self, pos: QPointF) -> tuple[float, int]:
        return self.roll.axis.x_to_tick(pos.x()), self.roll.pitch_axis.y_to_pitch(pos.y())

    def _step(self, event: QMouseEvent) -> int:
        return 0 if event.modifiers() & Qt.KeyboardModifier.AltModifier else self.roll.step()

    # -- events --------------------------------------------------------------------------------
    def press(self, event: QMouseEvent) -> None:
        roll = self.roll
        if roll.track() is None:
            return
        pos = event.position()
        tick, pitch = self._where(pos)
        note, zone = self.hit(pos)
        if event.button() == Qt.MouseButton.RightButton:
            if note is not None:
                self._delete(note)
            return
        if event.button() != Qt.MouseButton.LeftButton or not 0 <= pitch <= 127:
            return
        shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        if note is not None:
            if shift:
                roll.set_selection(roll.selection ^ {note})
                return
            if note not in roll.selection:
                roll.set_selection([note])
            targets = sorted(roll.selection, key=lambda n: (n.start, n.pitch))
            self.gesture = Gesture("resize" if zone == "end" else "move", pos, tick, pitch, targets, note,
                                   list(targets))
            self.velocity = note.velocity
        elif roll.tool == "draw":
            start = max(0, snap_down(tick, self._step(event)))
            new = Note(pitch, start, self._step(event) or DEFAULT_LENGTH, self.velocity)
            self.gesture = Gesture("draw", pos, tick, pitch, [], new, [new])
            roll.update()
        else:
            if not shift:
                roll.set_selection([])
            self.gesture = Gesture("rubber", pos, tick, pitch, box=QRectF(pos, pos))

    def move(self, event: QMouseEvent) -> None:
        g = self.gesture
        if g is None:
            note, zone = self.hit(event.position())
            shape = Qt.CursorShape.SizeHorCursor if zone == "end" else (
                Qt.CursorShape.CrossCursor if self.roll.tool == "draw" and note is None else Qt.CursorShape.ArrowCursor)
            self.roll.setCursor(shape)
            return
        pos = event.position()
        if not g.moved and (pos - g.origin).manhattanLength() < 3:
            return
        if not g.moved and g.kind in ("move", "resize"):
            self.roll.hidden = set(g.notes)
            self.roll.invalidate()
        g.moved = True
        tick, pitch = self._where(pos)
        step = self._step(event)
        if g.kind == "move":
            start = max(0, snap(g.grabbed.start + tick - g.tick0, step))
            g.preview = note_edits.shifted(g.notes, start - g.grabbed.start, pitch - g.pitch0)
        elif g.kind == "resize":
            end = snap(g.grabbed.end + tick - g.tick0, step)
            g.preview = note_edits.resized(g.notes, end - g.grabbed.end, minimum=step or 1)
        elif g.kind == "draw":
            end = max(g.grabbed.start + (step or 1), snap(tick, step))
            g.preview = [Note(g.grabbed.pitch, g.grabbed.start, end - g.grabbed.start, g.grabbed.velocity)]
        else:
            g.box = QRectF(g.origin, pos).normalized()
        self.roll.update()

    def release(self, event: QMouseEvent) -> None:
        if self.gesture is not None and event.button() == Qt.MouseButton.LeftButton:
            self.move(event)
        g, self.gesture = self.gesture, None
        roll = self.roll
        if g is None or event.button() != Qt.MouseButton.LeftButton:
            return
        roll.hidden = set()
        if g.kind in ("move", "resize") and g.moved:
            roll._edit(g.notes, g.preview, "Move notes" if g.kind == "move" else "Resize notes")
        elif g.kind in ("move", "resize") and len(roll.selection) > 1:
            roll.set_selection([g.grabbed])
        elif g.kind == "draw":
            roll.add_notes(g.preview)
        elif g.kind == "rubber" and g.box is not None and g.moved:
            found = self._in_box(g.box)
            shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            roll.set_selection(roll.selection | set(found) if shift else found)
        roll.invalidate()

    def double_click(self, event: QMouseEvent) -> None:
        roll = self.roll
        if roll.track() is None or roll.tool == "draw" or event.button() != Qt.MouseButton.LeftButton:
            return
        note, _ = self.hit(event.position())
        if note is not None:
            self._delete(note)
            return
        tick, pitch = self._where(event.position())
        if 0 <= pitch <= 127:
            step = self._step(event)
            roll.add_notes([Note(pitch, max(0, snap_down(tick, step)), step or DEFAULT_LENGTH, self.velocity)])

    def _delete(self, note: Note) -> None:
        roll = self.roll
        track = roll.track()
        targets = sorted(roll.selection, key=lambda n: n.start) if note in roll.selection else [note]
        if track is not None and roll.model.push(RemoveNotes(track.id, targets)):
            roll.set_selection(roll.selection - set(targets))

    def _in_box(self, box: QRectF) -> list[Note]:
        index = self.roll.index()
        if index is None:
            return []
        axis, pa = self.roll.axis, self.roll.pitch_axis
        return index.in_box(axis.x_to_sec(box.left()), axis.x_to_sec(box.right()),
                            pa.y_to_pitch(box.bottom()), pa.y_to_pitch(box.top()))

    # -- overlay -----------------------------------------------------------------------------------
    def paint(self, painter: QPainter) -> None:
        g = self.gesture
        if g is None:
            return
        track = self.roll.track()
        if g.kind == "rubber":
            if g.box is not None and g.moved:
                painter.setPen(QPen(QColor(theme.ACCENT), 1))
                painter.setBrush(theme.with_alpha(theme.ACCENT, 40))
                painter.drawRect(g.box)
            return
        if track is None or not (g.moved or g.kind == "draw"):
            return
        notes = g.preview
        axis, pa = self.roll.axis, self.roll.pitch_axis
        starts = np.array([n.start for n in notes], dtype=np.float64)
        ends = np.array([n.end for n in notes], dtype=np.float64)
        pitches = np.array([n.pitch for n in notes], dtype=np.float64)
        color = theme.track_color(track)
        draw_bars(painter, axis.tick_to_x(starts), axis.tick_to_x(ends),
                  pa.pitch_to_y(pitches) + pa.row_height / 2, max(1.0, pa.row_height - 1),
                  QColor(color.lighter(150)), QColor(theme.SELECTION))
