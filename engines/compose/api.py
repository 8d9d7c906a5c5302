"""The composer's front object: write tracks over a span of steps, given the rest.

``Composer engine`` in one call: ``ComposeEngine(model).infill(task)`` takes
all tracks of a piece as ``GridTrack``s (steps, see ``grid``), which of them
to write and over which steps, and returns, per variation, the new notes of
each written track inside the span. Everything else is never changed: other
tracks, notes of written tracks outside the span (and any note that starts
before the span and sounds into it), and notes listed in ``keep``.

Drum tracks are read and written by family (``drums``): a written drum
track gets a lane for each family it uses (an empty one: kick, snare,
hi-hat, toms, ride, crash), each lane only that family's notes.
At most ``config.MAX_LANES`` lanes are shown to the model at once: all
written lanes, then the context lanes with the most notes.

Conditioning (all optional): per-step ``controls`` and global
``attributes`` as the model was trained on them (``conditions``); hard
locks of pitches and onsets per written track; a target density per
written track. Without a density or rhythm control a written lane keeps
the activity of its own notes around the span (``density.CONTEXT_BARS``
either side; ``guidance.steer_density`` leaves it alone within
``DENSITY_TOLERANCE``), so a busy part stays busy and an all-rest span is
written only where the part rests around it too; a track with no notes of
its own outside the span gets its role's usual activity (``density``).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np

from engines.common import CancelToken, Progress, no_progress
from engines.compose import drums
from engines.compose.conditions import attribute_vector
from engines.compose.config import MAX_LANES, ModelConfig, SampleConfig
from engines.compose.data import role_index
from engines.compose.density import lane_targets
from engines.compose.grid import REST, ROLES, GridNote, GridTrack, bar_positions, decode_lane
from engines.compose.keys import UNKNOWN_KEY, scale_mask
from engines.compose.sample import GridProblem, allowed_pitches, refine
from engines.compose.tracks import Lanes, TrackLane, encode, track_lanes

if TYPE_CHECKING:
    from engines.compose.model import Composer

ROLE_RANGES = {"melody": (55, 93), "harmony": (48, 81), "bass": (28, 62), "counter": (45, 86),
               "other": (36, 96), "drums": (drums.LOWEST, drums.HIGHEST)}
"""Default MIDI pitch range (inclusive) a written pitched lane may use, per role."""
ROLE_VOICES = {"harmony": 3}
"""Lanes an empty written track gets, per role (1 when not listed)."""
DENSITY_TOLERANCE = 1.35
"""A lane whose expected onsets are within this factor of its context's is not steered."""


@dataclass(frozen=True)
class InfillTask:
    """A request. Times are 16th steps.

    tracks: every track of the piece. write: indices of the tracks to write.
    start, stop: the span [start, stop) to write. n_steps: length of the
    piece. steps_per_bar, pickup: the metre (see ``grid.bar_positions``).
    key: 0-23 or -1 (``keys``); scale_lock: only pitches of the key's scale.
    voices: lanes per written pitched track index (default: as many as the
    track uses, at least ``ROLE_VOICES``). ranges: (low, high) MIDI pitch
    per written pitched track index (default ``ROLE_RANGES``). keep: notes
    of written tracks inside the span that must stay, per track index.

    controls: float32 (n_steps, 2 * len(model controls)): per step, (value,
    specified) for each control of ``ModelConfig.controls`` in order (units
    in ``config.CONTROLS``); None = none given. attributes: name -> class
    (``config.ATTRIBUTES``, 0 = unspecified; "key" defaults to ``key``).
    pitch_lock: track index -> int16 (n_steps,) MIDI pitch the track must
    sound at each step (its top lane), -1 = free. onset_lock: track index ->
    int8 (n_steps,): 1 = a note of the track starts here (its first lane:
    the top voice; for drums the first family it has, e.g. the kick), 0 =
    no note of the track starts here, -1 = free. density: track index ->
    onsets per bar the track should have in the span (a chord counts once;
    for drums, hits of all families together).
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
    controls: np.ndarray | None = None
    attributes: dict[str, int] = field(default_factory=dict)
    pitch_lock: dict[int, np.ndarray] = field(default_factory=dict)
    onset_lock: dict[int, np.ndarray] = field(default_factory=dict)
    density: dict[int, float] = field(default_factory=dict)


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
        prob, owners = build_problem(task, self.config)
        cfg = replace(self.sample, steps=self.sample.steps if steps is None else steps,
                      temperature=self.sample.temperature if temperature is None else temperature)
        results = []
        for v in range(variations):
            part = _scaled(progress, v / variations, 1 / variations)
            pitch, onset = refine(self.model, prob, cfg=cfg, seed=seed + v, progress=part, cancel=cancel)
            results.append(_result(task, prob, owners, pitch[0], onset[0]))
        return results


def _scaled(progress: Progress, offset: float, share: float) -> Progress:
    return lambda fraction, message="": progress(offset + share * fraction, message)


def _check(task: InfillTask) -> None:
    if not 0 <= task.start < task.stop <= task.n_steps:
        raise ValueError(f"span {task.start}-{task.stop} is not inside 0-{task.n_steps} steps")
    for name, locks in (("pitch_lock", task.pitch_lock), ("onset_lock", task.onset_lock)):
        for i, lock in locks.items():
            if i not in task.write:
                raise ValueError(f"{name} for track {i}, which is not written")
            if np.shape(lock) != (task.n_steps,):
                raise ValueError(f"{name}[{i}] has shape {np.shape(lock)}, expected ({task.n_steps},)")
    if task.controls is not None and np.shape(task.controls)[0] != task.n_steps:
        raise ValueError(f"controls cover {np.shape(task.controls)[0]} steps, the piece {task.n_steps}")


def _context_notes(task: InfillTask, i: int) -> list[GridNote]:
    """Notes of track i the model reads: all of them unless written, then those that stay."""
    notes = list(task.tracks[i].notes)
    if i not in task.write:
        return notes
    kept = [n for n in notes if not task.start <= n.start < task.stop]
    return kept + list(task.keep.get(i, ()))


def _lanes_of(task: InfillTask, i: int) -> list[TrackLane]:
    track = task.tracks[i]
    if i not in task.write:
        return track_lanes(track, _context_notes(task, i))
    if track.is_drum:
        used = drums.split_families(track.notes)
        return track_lanes(track, _context_notes(task, i), families=tuple(used) or drums.DEFAULT_FAMILIES)
    want = task.voices.get(i) or len(track_lanes(track)) or ROLE_VOICES.get(track.role, 1)
    return track_lanes(track, _context_notes(task, i), min_lanes=max(1, want))


def build_problem(task: InfillTask, cfg: ModelConfig) -> tuple[GridProblem, list[int]]:
    """The task as arrays for a model of config ``cfg``, and the track owning each lane (-1 = context)."""
    lanes, owners, roles = [], [], []
    for i, track in enumerate(task.tracks):
        rows = _lanes_of(task, i)
        lanes += rows
        owners += [i if i in task.write else -1] * len(rows)
        roles += [role_index("drums" if track.is_drum else track.role)] * len(rows)
    keep = _limit_lanes(lanes, owners, task)
    lanes, owners, roles = [lanes[j] for j in keep], [owners[j] for j in keep], [roles[j] for j in keep]
    enc = encode(lanes, owners, roles, task.n_steps)
    target = np.zeros(enc.pitch.shape, dtype=bool)
    for lane, owner in enumerate(owners):
        if owner >= 0:
            target[lane, task.start:task.stop] = enc.pitch[lane, task.start:task.stop] == REST
    attributes = {"key": task.key + 1 if task.key != UNKNOWN_KEY else 0, **task.attributes}
    prob = GridProblem(pitch=enc.pitch, onset=enc.onset, target=target,
                       allowed=np.stack([_allowed(task, lanes[j], o, r) for j, (o, r) in enumerate(zip(owners, roles))]),
                       role=enc.role, rank=enc.rank,
                       pos=bar_positions(task.n_steps, task.steps_per_bar, pickup=task.pickup),
                       bar_len=np.full(task.n_steps, task.steps_per_bar),
                       attrs=attribute_vector(cfg, {k: v for k, v in attributes.items()
                                                    if k in dict(cfg.attributes)}),
                       controls=_controls(task, cfg), density_tolerance=DENSITY_TOLERANCE, **_locks(task, enc, owners))
    return prob, owners


def _controls(task: InfillTask, cfg: ModelConfig) -> np.ndarray | None:
    if task.controls is None:
        return None
    controls = np.asarray(task.controls, dtype=np.float32)
    if controls.shape != (task.n_steps, 2 * len(cfg.controls)):
        raise ValueError(f"controls have shape {controls.shape}, the model reads "
                         f"({task.n_steps}, {2 * len(cfg.controls)}): {', '.join(cfg.controls)}")
    return controls


def _allowed(task: InfillTask, lane: TrackLane, owner: int, role: int) -> np.ndarray:
    """bool (129,) pitches a lane may use: its drum family's notes, or its range (in the scale)."""
    if ROLES[role] == "drums" and lane.rank >= 0:
        out = np.zeros(129, dtype=bool)
        out[:REST] = drums.allowed(drums.FAMILIES[lane.rank])
        out[REST] = True
        return out
    lo, hi = task.ranges[owner] if owner >= 0 and owner in task.ranges else ROLE_RANGES[ROLES[role]]
    scale = scale_mask(task.key) if task.scale_lock and task.key != UNKNOWN_KEY else None
    return allowed_pitches(lo, hi, scale)


def _locks(task: InfillTask, enc: Lanes, owners: list[int]) -> dict[str, np.ndarray | None]:
    """cell_pitch, cell_onset and density of the problem (see ``GridProblem``)."""
    n_lanes = len(owners)
    cell_pitch = np.full((n_lanes, task.n_steps), -1, dtype=np.int16)
    cell_onset = np.full((n_lanes, task.n_steps), -1, dtype=np.int8)
    span = slice(task.start, task.stop)
    for i in task.write:
        rows = [j for j, o in enumerate(owners) if o == i]
        if not rows:
            continue
        if i in task.pitch_lock:
            cell_pitch[rows[0], span] = np.asarray(task.pitch_lock[i], dtype=np.int16)[span]
        if i in task.onset_lock:
            lock = np.asarray(task.onset_lock[i], dtype=np.int8)[span]
            cell_onset[rows[0], span] = lock
            for j in rows[1:]:
                cell_onset[j, span] = np.where(lock == 0, 0, -1)
    target = (enc.pitch == REST)
    cell_pitch = np.where(target & (cell_pitch >= 0), cell_pitch, -1).astype(np.int16)
    return {"cell_pitch": cell_pitch if (cell_pitch >= 0).any() else None,
            "cell_onset": cell_onset if (cell_onset >= 0).any() else None,
            "density": lane_targets(task, enc, owners)}


def _limit_lanes(lanes: list[TrackLane], owners: list[int], task: InfillTask) -> list[int]:
    """Indices of every written lane and the busiest context lanes, up to ``MAX_LANES``, in order."""
    written = [j for j, o in enumerate(owners) if o >= 0]
    context = [j for j, o in enumerate(owners) if o < 0]

    def busy(j: int) -> int:
        inside = sum(1 for n in lanes[j].notes if task.start <= n.start < task.stop)
        return -(inside * 8 + len(lanes[j].notes))
    keep = sorted(written + sorted(context, key=busy)[:max(0, MAX_LANES - len(written))])
    if not written:
        raise ValueError("nothing to write: no track was chosen")
    return keep


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
