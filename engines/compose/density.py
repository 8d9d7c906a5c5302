"""How busy each written lane should be when the request does not say (``InfillTask.density``).

A written lane keeps the onset rate of its own notes within ``CONTEXT_BARS``
either side of the span, so a busy part stays busy and a span rests only
where the part rests around it. A track with no notes of its own outside
the span (a new, empty track, or the whole song written at once) has no
such rate: it gets its role's usual one (``ROLE_DENSITY``; drums per family,
``FAMILY_DENSITY``) instead of being left free, where the model, seeing no
notes of that track anywhere, tends to write next to nothing.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from engines.compose import drums
from engines.compose.grid import ROLES
from engines.compose.tracks import Lanes

if TYPE_CHECKING:
    from engines.compose.api import InfillTask

CONTEXT_BARS = 8
"""Bars either side of the span whose notes set a written lane's density when none is given."""
BAR_STEPS = 16
"""Steps of the bar the defaults below are counted in (a 4/4 bar); other metres scale per step."""
ROLE_DENSITY = {"melody": 5.5, "harmony": 4.0, "bass": 3.5, "counter": 4.0, "other": 4.0}
"""Onsets per 4/4 bar of a written pitched track without notes of its own: medians of each role's
top lane in the band training songs (bass 3.5, harmony 4.0, melody 5.5; chorale voices 3.9-4.6)."""
FAMILY_DENSITY = {"kick": 3.5, "snare": 2.4, "hihat": 6.0}
"""Hits per 4/4 bar of a drum family without hits of its own (medians in the band training songs);
other families (toms, ride, crash, percussion) are left to the model: fills and accents."""


def lane_targets(task: InfillTask, enc: Lanes, owners: list[int]) -> np.ndarray | None:
    """Target onsets per step of each lane, float32 (L,), NaN = free; None when no lane has one.

    ``task.density`` when given (a drum track's target shared among its
    families as their context's hits), else the lane's own context, else
    its role's default (see the module doc). ``enc``: the encoded lanes,
    ``owners``: the written track of each lane, -1 = context.
    """
    out = np.full(len(owners), np.nan, dtype=np.float32)
    around = _around(task)
    for owner in sorted({o for o in owners if o >= 0}):
        rows = [j for j, o in enumerate(owners) if o == owner]
        outside = np.ones(task.n_steps, dtype=bool)
        outside[task.start:task.stop] = False
        if owner in task.density:
            share = _density_share(task.tracks[owner].is_drum, enc.onset, rows, around)
            out[rows] = task.density[owner] / task.steps_per_bar * share
        elif not enc.onset[rows][:, outside].any():
            out[rows] = [_default(task.tracks[owner].role, task.tracks[owner].is_drum, int(enc.rank[j]))
                         for j in rows]
        elif around.sum() >= task.steps_per_bar:
            out[rows] = enc.onset[rows][:, around].sum(1) / around.sum()
    return out if np.isfinite(out).any() else None


def _around(task: InfillTask) -> np.ndarray:
    """bool (n_steps,): the steps within ``CONTEXT_BARS`` either side of the span."""
    reach = CONTEXT_BARS * task.steps_per_bar
    around = np.zeros(task.n_steps, dtype=bool)
    around[max(0, task.start - reach):task.start] = True
    around[task.stop:task.stop + reach] = True
    return around


def _default(role: str, is_drum: bool, rank: int) -> float:
    """Onsets per step of a lane with no notes of its own: its role's (or drum family's) usual rate."""
    if is_drum:
        family = drums.FAMILIES[rank] if 0 <= rank < len(drums.FAMILIES) else ""
        return FAMILY_DENSITY.get(family, np.nan) / BAR_STEPS
    return ROLE_DENSITY.get(role if role in ROLES else "other", np.nan) / BAR_STEPS


def _density_share(is_drum: bool, onset: np.ndarray, rows: list[int], around: np.ndarray) -> np.ndarray:
    """How a track's target onsets are shared among its lanes, float (len(rows),): drums by their
    context's hits (evenly without any); pitched lanes each the whole (a chord strikes together)."""
    if not is_drum:
        return np.ones(len(rows))
    hits = onset[rows][:, around].sum(1).astype(np.float64)
    return hits / hits.sum() if hits.sum() > 0 else np.full(len(rows), 1 / len(rows))
