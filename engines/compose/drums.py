"""Drums on the composer's grid: one lane per drum family, GM drum notes as pitches.

A drum track is split by family (``FAMILIES``): every hit becomes a one-step
note in its family's lane, the GM drum note as its pitch. The family is the
lane's rank (``rank = FAMILIES.index(family)``), so the model always knows
which lane is the kick and which the hi-hat, and each lane may only use its
family's notes (``allowed``). Two hits of one family on the same step keep
the first of ``FAMILY_NOTES[family]`` (the kit's main sound), so a clap
layered on a snare keeps the snare; hi-hat pedal, closed and open share a
lane because one hi-hat cannot be open and closed at once.
"""
from __future__ import annotations

import numpy as np

from engines.compose.config import N_PITCH
from engines.compose.grid import GridNote

FAMILIES = ("kick", "snare", "hihat", "tom", "ride", "crash", "perc")
FAMILY_NOTES: dict[str, tuple[int, ...]] = {
    "kick": (36, 35),
    "snare": (38, 40, 39, 37),
    "hihat": (46, 42, 44),
    "tom": (45, 47, 43, 48, 41, 50),
    "ride": (51, 59, 53),
    "crash": (49, 57, 55, 52),
}
"""GM drum notes of each family, the preferred sound first; "perc" takes every other note."""
LOWEST, HIGHEST = 27, 87
"""GM percussion notes the composer knows (the GM kit spans 35-81; GS kits add 27-34, 82-87)."""
DEFAULT_FAMILIES = ("kick", "snare", "hihat", "tom", "ride", "crash")
"""Lanes an empty drum track gets when it is written."""
HIT_STEPS = 1
"""Length in 16th steps of a drum hit on the grid (drums are read as onsets)."""


def family_of(pitch: int) -> str:
    """The family of a GM drum note ("perc" for any note no other family lists)."""
    for family, notes in FAMILY_NOTES.items():
        if pitch in notes:
            return family
    return "perc"


def family_rank(family: str) -> int:
    return FAMILIES.index(family)


def allowed(family: str) -> np.ndarray:
    """bool (N_PITCH,): the notes a lane of this family may play."""
    out = np.zeros(N_PITCH, dtype=bool)
    if family == "perc":
        out[LOWEST:HIGHEST + 1] = True
        for notes in FAMILY_NOTES.values():
            out[list(notes)] = False
    else:
        out[list(FAMILY_NOTES[family])] = True
    return out


def split_families(notes: tuple[GridNote, ...] | list[GridNote]) -> dict[str, list[GridNote]]:
    """Hits per family, each a one-step note, at most one per step (see the module doc).

    Families without hits are left out; the dict is in ``FAMILIES`` order.
    """
    chosen: dict[tuple[str, int], GridNote] = {}
    for note in notes:
        family = family_of(note.pitch)
        hit = GridNote(note.pitch, note.start, HIT_STEPS, note.velocity)
        old = chosen.get((family, note.start))
        if old is None or _preference(family, hit.pitch) < _preference(family, old.pitch):
            chosen[(family, note.start)] = hit
    out: dict[str, list[GridNote]] = {}
    for family in FAMILIES:
        hits = sorted((n for (f, _), n in chosen.items() if f == family), key=lambda n: n.start)
        if hits:
            out[family] = hits
    return out


def _preference(family: str, pitch: int) -> int:
    notes = FAMILY_NOTES.get(family, ())
    return notes.index(pitch) if pitch in notes else len(notes) + pitch
