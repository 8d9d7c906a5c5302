"""The composer's front object: write tracks over a span of steps, given the rest.

``Composer engine`` in one call: ``ComposeEngine(model).infill(task)`` takes
all tracks of a piece as ``GridTrack``s (steps, see ``grid``), which of them
to write and over which steps, and returns, per variation, the new notes of
each written track inside the span. Everything else is never changed: other
tracks, notes of written tracks outside the span (and any note that starts
before the span and sounds into it), and notes listed in ``keep``.

Drum tracks are not read or written: the model was trained on pitched music.
At most ``MAX_LANES`` lanes are shown to the model at once: all written lanes,
then the context lanes with the most notes.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np

from engines.common import CancelToken, Progress, no_progress
from engines.compose.config import ModelConfig, SampleConfig
from engines.compose.data import role_index
from engines.compose.grid import REST, GridNote, GridTrack, assign_lanes, bar_positions, decode_lane, encode_lane
from engines.compose.keys import UNKNOWN_KEY, scale_mask
from engines.compose.sample import GridProblem, allowed_pitches, refine

if TYPE_CHECKING:
    from engines.compose.model import Composer

MAX_LANES = 8
ROLE_RANGES = {"melody": (55, 93), "harmony": (48, 81), "bass": (28, 62), "counter": (45, 86),
               "other": (36, 96), "drums": (35, 81)}
"""Default MIDI pitch range (inclusive) a written lane may use, per role."""
ROLE_VOICES = {"harmony": 3}
"""Lanes an empty written track gets, per role (1 when not listed)."""


@dataclass(frozen=True)
class InfillTask:
    """A request. Times are 16th steps.

    tracks: every track of the piece. write: indices of the tracks to write.
    start, stop: the span [start, stop) to write. n_steps: length of the
    piece. steps_per_bar, pickup: the metre (see ``grid.bar_positions``).
    key: 0-23 or -1 (``keys``); scale_lock: only pitches of the key's scale.
    voices: lanes per written track index (default: as many as the track
    uses, at least ``ROLE_VOICES``). ranges: (low, high) MIDI pitch per
    written track index (default ``ROLE_RANGES``). keep: notes of written
    tracks inside the span that must stay, per track index.
    """

    tracks: tuple[GridTrack, ...]
    write: tuple[int, ...]
    start: int
    stop: int
    n_steps: int
    steps_per_bar: int = 16
    pickup: int = 0
    key: int = UNKNOWN_KEY
    scale_lock: bool = False
    voices: dict[int, int] = field(default_factory=dict)
    ranges: dict[int, tuple[int, int]] = field(default_factory=dict)
    keep: dict[int, tuple[GridNote, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class InfillResult:
    """One variation: ``notes[i]`` are the new notes of track ``task.write[i]`` in the span."""

    notes: tuple[tuple[GridNote, ...], ...]


class ComposeEngine:
    """Wraps a trained ``model.Composer``; see the module docstring."""

    def __init__(self, model: Composer, sample: SampleConfig | None = None, *, device: str = "cpu") -> None:
        """``device``: "cpu" or "cuda" (the model moves there; sampling stays on the CPU)."""
        if device == "cuda":
            import torch

            # cuDNN's attention fails on some of our mask shapes (see train.py).
            torch.backends.cuda.enable_cudnn_sdp(False)
        self.model = model.to(device)
        self.sample = sample or SampleConfig()

    @property
    def config(self) -> ModelConfig:
        return self.model.cfg

    def infill(self, task: InfillTask, *, seed: int = 0, variations: int = 1, temperature: float | None = None,
               steps: int | None = None, progress: Progress = no_progress,
               cancel: CancelToken | None = None) -> list[InfillResult]:
        """Write the task's tracks over its span; ``variations`` results.

        Variation k (from 0) is drawn with seed ``seed + k``, so it is the
        same as the single result of that seed.
        """
        _check(task)
        prob, owners = build_problem(task, n_attrs=len(self.config.attributes))
        cfg = replace(self.sample, steps=self.sample.steps if steps is None else steps,
                      temperature=self.sample.temperature if temperature is None else temperature)
        results = []
        for v in range(variations):
            part = _scaled(progress, v / variations, 1 / variations)
            pitch, onset = refine(self.model, prob, cfg=cfg, seed=seed + v,
                                  progress=part, cancel=cancel)
            results.append(_result(task, prob, owners, pitch[0], onset[0]))
        return results


def _scaled(progress: Progress, offset: float, share: float) -> Progress:
    return lambda fraction, message="": progress(offset + share * fraction, message)


def _check(task: InfillTask) -> None:
    if not 0 <= task.start < task.stop <= task.n_steps:
        raise ValueError(f"span {task.start}-{task.stop} is not inside 0-{task.n_steps} steps")
    for i in task.write:
        if task.tracks[i].is_drum:
            raise ValueError(f"track {task.tracks[i].name!r} is a drum track; the composer writes pitched tracks only")


def _context_notes(task: InfillTask, i: int) -> list[GridNote]:
    """Notes of track i the model reads: all of them unless written, then those that stay."""
    notes = list(task.tracks[i].notes)
    if i not in task.write:
        return notes
    kept = [n for n in notes if not task.start <= n.start < task.stop]
    return kept + list(task.keep.get(i, ()))


def build_problem(task: InfillTask, *, n_attrs: int = 6) -> tuple[GridProblem, list[int]]:
    """The task as arrays, and the track index owning each lane (-1 = context)."""
    rows, owners, roles = [], [], []
    for i, track in enumerate(task.tracks):
        if track.is_drum:
            continue
        lanes = assign_lanes(_context_notes(task, i))
        if i in task.write:
            want = task.voices.get(i) or len(assign_lanes(track.notes)) or ROLE_VOICES.get(track.role, 1)
            lanes += [[] for _ in range(max(1, want) - len(lanes))]
        for lane in lanes:
            rows.append(encode_lane(lane, task.n_steps)[:2])
            owners.append(i if i in task.write else -1)
            roles.append(role_index(track.role))
    rows, owners, roles = _limit_lanes(rows, owners, roles, task)
    pitch = np.stack([r[0] for r in rows])
    onset = np.stack([r[1] for r in rows])
    target = np.zeros_like(onset)
    for row, owner in enumerate(owners):
        if owner >= 0:
            target[row, task.start:task.stop] = pitch[row, task.start:task.stop] == REST
    scale = scale_mask(task.key) if task.scale_lock and task.key != UNKNOWN_KEY else None
    allowed = np.stack([allowed_pitches(*_range(task, o, r), scale) for o, r in zip(owners, roles)])
    role = np.array(roles, dtype=np.int64)
    attrs = np.zeros(n_attrs, dtype=np.int64)
    attrs[0] = task.key + 1 if task.key != UNKNOWN_KEY else 0
    prob = GridProblem(pitch=pitch, onset=onset, target=target, allowed=allowed, role=role,
                       rank=_ranks(role), pos=bar_positions(task.n_steps, task.steps_per_bar, pickup=task.pickup),
                       bar_len=np.full(task.n_steps, task.steps_per_bar), attrs=attrs)
    return prob, owners


def _range(task: InfillTask, owner: int, role: int) -> tuple[int, int]:
    from engines.compose.grid import ROLES
    if owner >= 0 and owner in task.ranges:
        return task.ranges[owner]
    return ROLE_RANGES[ROLES[role]]


def _ranks(role: np.ndarray) -> np.ndarray:
    return np.array([int((role[:i] == r).sum()) for i, r in enumerate(role)], dtype=np.int64)


def _limit_lanes(rows: list, owners: list[int], roles: list[int], task: InfillTask) -> tuple[list, list, list]:
    """Keep every written lane and the busiest context lanes, up to ``MAX_LANES``, in order."""
    written = [j for j, o in enumerate(owners) if o >= 0]
    context = [j for j, o in enumerate(owners) if o < 0]
    busy = sorted(context, key=lambda j: -int((rows[j][0][task.start:task.stop] != REST).sum()
                                            + (rows[j][0] != REST).sum() // 8))
    keep = sorted(written + busy[:max(0, MAX_LANES - len(written))])
    if not keep:
        raise ValueError("nothing to write: no pitched track was chosen")
    return [rows[j] for j in keep], [owners[j] for j in keep], [roles[j] for j in keep]


def _result(task: InfillTask, prob: GridProblem, owners: list[int], pitch: np.ndarray,
            onset: np.ndarray) -> InfillResult:
    out = []
    for i in task.write:
        notes: list[GridNote] = []
        for lane in [j for j, o in enumerate(owners) if o == i]:
            cells = np.where(prob.target[lane], pitch[lane], REST)
            notes += decode_lane(cells, onset[lane])
        out.append(tuple(sorted(notes, key=lambda n: (n.start, n.pitch))))
    return InfillResult(tuple(out))
