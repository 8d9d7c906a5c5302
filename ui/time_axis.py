"""The one horizontal time axis every lane shares: scroll, zoom and the playhead.

x is in pixels from a lane's left edge (after its header); the axis is linear
in seconds, so audio, curves and notes line up whatever the tempo map. Bars
and beats are drawn where the tempo map puts them.
"""
from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QObject, Signal

from app.project import PPQ, Project
from ui.document_model import DocumentModel

MIN_PPS = 1.0
MAX_PPS = 6000.0
MARGIN_SECONDS = 4.0


class TimeAxis(QObject):
    """Lifecycle: one per window; ``changed`` after every scroll or zoom."""

    changed = Signal()
    playhead_changed = Signal(float, float)
    """(old seconds, new seconds)."""

    def __init__(self, model: DocumentModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.start = 0.0
        self.pps = 60.0
        self.playhead = 0.0
        self.view_width = 1000

    @property
    def project(self) -> Project:
        return self.model.project

    # -- conversions ----------------------------------------------------------------
    def sec_to_x(self, seconds):
        """Seconds (scalar or array) -> x pixels."""
        return (seconds - self.start) * self.pps

    def x_to_sec(self, x):
        return self.start + np.asarray(x, dtype=np.float64) / self.pps if isinstance(x, np.ndarray) \
            else self.start + float(x) / self.pps

    def tick_to_x(self, ticks):
        return self.sec_to_x(self.project.tick_to_seconds(ticks))

    def x_to_tick(self, x: float) -> float:
        return float(self.project.seconds_to_tick(max(0.0, self.x_to_sec(x))))

    def visible_seconds(self, width: int) -> tuple[float, float]:
        return self.start, self.start + width / self.pps

    def total_seconds(self) -> float:
        """How far the timeline scrolls: the project, its content and a margin."""
        project = self.project
        return max(project.duration, project.content_end_seconds()) + MARGIN_SECONDS

    # -- changes ------------------------------------------------------------------
    def set_view(self, start: float, pps: float | None = None) -> None:
        pps = self.pps if pps is None else min(MAX_PPS, max(MIN_PPS, pps))
        start = max(0.0, min(start, self.total_seconds()))
        if start != self.start or pps != self.pps:
            self.start, self.pps = start, pps
            self.changed.emit()

    def zoom(self, factor: float, anchor_x: float | None = None) -> None:
        """Zoom by ``factor`` (>1 zooms in) keeping the time under ``anchor_x`` in place."""
        anchor_x = self.view_width / 2 if anchor_x is None else anchor_x
        anchor = self.x_to_sec(anchor_x)
        pps = min(MAX_PPS, max(MIN_PPS, self.pps * factor))
        self.set_view(anchor - anchor_x / pps, pps)

    def scroll_pixels(self, dx: float) -> None:
        self.set_view(self.start + dx / self.pps)

    def fit(self, width: int) -> None:
        """Show the whole project in ``width`` pixels."""
        self.view_width = max(1, width)
        self.set_view(0.0, self.view_width / max(1.0, self.total_seconds()))

    def reveal(self, start: float, end: float, *, whole: bool = False) -> None:
        """Scroll so seconds ``start``..``end`` are in view (their start, if they are longer than
        the view). Nothing if part of them is visible already, or with ``whole``, all of them."""
        lo, hi = self.visible_seconds(self.view_width)
        if (lo <= start and end <= hi) if whole else (end > lo and start < hi):
            return
        margin = 0.1 * (hi - lo)
        self.set_view(max(0.0, start - margin if end - start < hi - lo - margin else start))

    def set_playhead(self, seconds: float) -> None:
        old = self.playhead
        if seconds != old:
            self.playhead = seconds
            self.playhead_changed.emit(old, seconds)

    def follow(self, seconds: float) -> None:
        """Page forward (or back) so ``seconds`` stays in view, as a DAW does while playing."""
        lo, hi = self.visible_seconds(self.view_width)
        if not lo <= seconds < hi - 8 / self.pps:
            self.set_view(max(0.0, seconds - 16 / self.pps))

    # -- grid ---------------------------------------------------------------------------
    def grid(self, width: int, *, min_px: float = 7.0, sub_ticks: int = 0) -> list[tuple[float, int]]:
        """Visible grid lines as (x, level): 0 bar, 1 beat, 2 sub-beat (``sub_ticks`` apart)."""
        project = self.project
        sig = project.time_signature
        t0 = max(0.0, self.x_to_tick(0))
        t1 = self.x_to_tick(width) + 1
        bar_px = self._px_per_ticks(sig.ticks_per_bar)
        step_bars = 1 if bar_px >= min_px * 3 else 2 ** math.ceil(math.log2(min_px * 3 / max(bar_px, 1e-9)))
        lines = [(t, 0) for t in _range(t0, t1, sig.ticks_per_bar * step_bars)]
        if self._px_per_ticks(sig.ticks_per_beat) >= min_px:
            lines += [(t, 1) for t in _range(t0, t1, sig.ticks_per_beat) if t % sig.ticks_per_bar]
            if sub_ticks and self._px_per_ticks(sub_ticks) >= min_px:
                lines += [(t, 2) for t in _range(t0, t1, sub_ticks) if t % sig.ticks_per_beat]
        if not lines:
            return []
        ticks = np.array([t for t, _ in lines], dtype=np.float64)
        xs = self.tick_to_x(ticks)
        return [(float(x), level) for x, (_, level) in zip(np.atleast_1d(xs), lines)]

    def _px_per_ticks(self, ticks: int) -> float:
        """Pixel width of ``ticks`` at the start tempo (good enough to pick a grid density)."""
        return ticks * 60.0 / (self.project.tempo * PPQ) * self.pps


def _range(t0: float, t1: float, step: int) -> range:
    first = int(math.ceil(t0 / step)) * step
    return range(first, int(t1) + 1, step)
