"""Snap grids in ticks (no Qt): "1/16" -> 120 ticks at 480 PPQ, "1/8T" -> 160, "off" -> 0.

``grid_ticks`` lives in ``app.operations`` (quantise uses the same grids) and is re-exported here."""
from __future__ import annotations

import math

from app.operations import grid_ticks

__all__ = ["grid_ticks", "snap", "snap_down"]


def snap(tick: float, step: int) -> int:
    """Nearest grid line (``step`` 0: nearest tick)."""
    return round(tick / step) * step if step else round(tick)


def snap_down(tick: float, step: int) -> int:
    """The grid line at or before ``tick``."""
    return math.floor(tick / step) * step if step else math.floor(tick)
