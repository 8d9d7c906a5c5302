"""Snap grids in ticks (no Qt): "1/16" -> 120 ticks at 480 PPQ, "1/8T" -> 160, "off" -> 0."""
from __future__ import annotations

import math

from app.project import PPQ, TimeSignature
from app.settings import GRIDS


def grid_ticks(grid: str, signature: TimeSignature) -> int:
    """Ticks per grid step; 0 when snapping is off. ``grid`` is one of ``app.settings.GRIDS``."""
    if grid not in GRIDS or grid == "off":
        return 0
    if grid == "1 bar":
        return signature.ticks_per_bar
    triplet = grid.endswith("T")
    denominator = int(grid[2:].rstrip("T"))
    ticks = PPQ * 4 // denominator
    return ticks * 2 // 3 if triplet else ticks


def snap(tick: float, step: int) -> int:
    """Nearest grid line (``step`` 0: nearest tick)."""
    return round(tick / step) * step if step else round(tick)


def snap_down(tick: float, step: int) -> int:
    """The grid line at or before ``tick``."""
    return math.floor(tick / step) * step if step else math.floor(tick)
