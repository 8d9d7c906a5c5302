"""One track's lane in the arrangement: a waveform for audio, a clip preview for MIDI.

Waveforms come from a min/max pyramid (``app.peaks``) built once per stem and
queried at screen resolution for the visible span only. MIDI clips draw
their notes as small bars squeezed into the row, in the track's colour.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter

from app.peaks import Peaks
from app.project import AudioTrack, MidiTrack, Track
from ui import theme
from ui.lane import TimeLane
from ui.dnd import TrackDragStarter
from ui.painter_paths import draw_bars, flat_pen, vertical_segments_path
from ui.time_axis import TimeAxis

_peaks: dict[str, Peaks] = {}


def peaks_for(track: AudioTrack) -> Peaks:
    """The (cached) min/max pyramid of an audio track's samples."""
    cached = _peaks.get(track.id)
    if cached is None or cached.samples is not track.samples:
        cached = _peaks[track.id] = Peaks(track.samples)
    return cached


class TrackLane(TimeLane):
    """Lifecycle: made by the track list for one track id; repainted on its changes."""

    clicked = Signal(str)
    """Track id, when the lane is clicked (selects the track)."""

    def __init__(self, axis: TimeAxis, track_id: str, parent=None) -> None:
        super().__init__(axis, parent)
        self.track_id = track_id
        self.selected = False
        self.setFixedHeight(theme.TRACK_ROW_HEIGHT)
        self.setToolTip("Click to select the track · drag it out to your DAW or file manager (MIDI; "
                        "Alt+drag: rendered WAV) · Ctrl+wheel zooms, Shift+wheel scrolls")
        self._drag = TrackDragStarter(self, axis.model, track_id)

    def track(self) -> Track | None:
        try:
            return self.project.track(self.track_id)
        except KeyError:
            return None

    def set_selected(self, selected: bool) -> None:
        if selected != self.selected:
            self.selected = selected
            self.invalidate()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit(self.track_id)
            self._drag.press(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self._drag.move(event)

    def paint_content(self, painter: QPainter, width: int, height: int) -> None:
        painter.fillRect(0, 0, width, height, QColor(theme.LANE if self.selected else theme.LANE_ALT))
        self.paint_grid(painter, width, height)
        track = self.track()
        if track is None:
            return
        color = theme.track_color(track)
        if not self.project.audible(track):
            color = QColor(color.darker(220))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        if isinstance(track, AudioTrack):
            self._paint_audio(painter, track, color, width, height)
        else:
            self._paint_midi(painter, track, color, width, height)
        painter.setPen(QColor(theme.BORDER))
        painter.drawLine(0, height - 1, width, height - 1)

    def _clip_box(self, painter: QPainter, x0: float, x1: float, height: int, color: QColor) -> QRectF:
        box = QRectF(x0, 2, x1 - x0, height - 5)
        painter.setPen(theme.with_alpha(color, 150))
        painter.setBrush(theme.with_alpha(color, 40))
        painter.drawRoundedRect(box, 3, 3)
        return box

    def _paint_audio(self, painter: QPainter, track: AudioTrack, color: QColor, width: int, height: int) -> None:
        rate = self.project.sample_rate
        end_x = float(self.axis.sec_to_x(track.samples.shape[1] / rate))
        start_x = float(self.axis.sec_to_x(0.0))
        if end_x < 0 or start_x > width:
            return
        box = self._clip_box(painter, start_x, end_x, height, color)
        env = peaks_for(track).envelope(self.axis.start * rate, rate / self.axis.pps, width)
        lo = np.fmin.reduce(env[:, 0], axis=0)
        hi = np.fmax.reduce(env[:, 1], axis=0)
        xs = np.flatnonzero(np.isfinite(lo))
        if len(xs) == 0:
            return
        mid, half = box.center().y(), box.height() / 2 - 2
        top = mid - np.clip(hi[xs], -1, 1) * half
        bottom = mid - np.clip(lo[xs], -1, 1) * half
        bottom = np.maximum(bottom, top + 1)
        painter.setBrush(Qt.BrushStyle.NoBrush)  # filling thousands of empty subpaths is slow
        painter.setPen(flat_pen(color, 1.0))
        painter.drawPath(vertical_segments_path(xs + 0.5, top, bottom))
        painter.setPen(flat_pen(theme.with_alpha(color, 90), 1.0))
        painter.drawLine(QPointF(max(0.0, box.left()), mid), QPointF(min(float(width), box.right()), mid))

    def _paint_midi(self, painter: QPainter, track: MidiTrack, color: QColor, width: int, height: int) -> None:
        if not track.notes:
            return
        index = self.axis.model.note_index(track.id)
        bar = self.project.ticks_per_bar
        first = float(self.axis.tick_to_x(int(index.start[0]) // bar * bar))
        last = float(self.axis.tick_to_x(-(-int(index.end.max()) // bar) * bar))
        if last < 0 or first > width:
            return
        box = self._clip_box(painter, first, last, height, color)
        t0, t1 = self.axis.visible_seconds(width)
        shown = index.visible(t0, t1)
        starts, ends = self.axis.sec_to_x(index.start_s[shown]), self.axis.sec_to_x(index.end_s[shown])
        pitches = index.pitch
        lo, hi = int(pitches.min()), int(pitches.max())
        span = max(12, hi - lo + 1)
        centre = (lo + hi) / 2
        row = (box.height() - 8) / span
        y = box.center().y() - (pitches[shown] - centre) * row
        draw_bars(painter, starts, ends, y, max(1.5, row), QColor(color.lighter(125)))

