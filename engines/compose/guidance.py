"""Steering the composer's logits while it writes: locked cells and a target density.

``constrain`` turns a problem's cell locks (``GridProblem.cell_pitch`` and
``cell_onset``) into logits that can only yield the locked choice.
``steer_density`` shifts each written lane's onset logits by one number per
lane (and its rest logit down by the same when more onsets are wanted: fewer
rests; never up, since a note after a rest starts anyway), chosen so the expected onsets over the lane's target cells
(already written ones counted as they are) come closest to the lane's
target: a busy part stays busy, and a lane is not left silent where its
context plays. ``release_onsets`` enforces "no note starts here" after the
fact, by holding the note before (or resting); ``trust_onsets`` makes the
written cells agree with their onset flags.
"""
from __future__ import annotations

import numpy as np
import torch

from engines.compose.grid import REST

BIAS_GRID = torch.linspace(-4.0, 4.0, 33)
"""Candidate logit shifts of ``steer_density`` (onset logit +b, rest logit -max(b, 0))."""
LOCKED = 30.0
"""Logit magnitude that makes a locked onset certain."""


def constrain(logits: torch.Tensor, onset_logits: torch.Tensor, cell_pitch: np.ndarray | None,
              cell_onset: np.ndarray | None) -> tuple[torch.Tensor, torch.Tensor]:
    """Apply cell locks of a view: logits (K, L, T, 129), onset_logits (K, L, T); locks (L, T), -1 free."""
    if cell_pitch is not None and (cell_pitch >= 0).any():
        lock = torch.as_tensor(cell_pitch.astype(np.int64))
        forced = lock >= 0
        only = torch.full(logits.shape[1:], -torch.inf)
        only[forced, lock[forced]] = 0.0
        logits = torch.where(forced[None, :, :, None], only[None].expand_as(logits), logits)
    if cell_onset is not None and (cell_onset >= 0).any():
        lock = torch.as_tensor(cell_onset.astype(np.int64))
        onset_logits = torch.where(lock[None] == 1, torch.full_like(onset_logits, LOCKED), onset_logits)
        onset_logits = torch.where(lock[None] == 0, torch.full_like(onset_logits, -LOCKED), onset_logits)
        logits = logits.clone()
        logits[..., REST] = torch.where(lock[None] == 1, torch.full_like(logits[..., REST], -torch.inf),
                                        logits[..., REST])
    return logits, onset_logits


def steer_density(logits: torch.Tensor, onset_logits: torch.Tensor, *, target: np.ndarray,
                  cells: torch.Tensor, open_: torch.Tensor, onset: torch.Tensor, temperature: float,
                  tolerance: float) -> tuple[torch.Tensor, torch.Tensor]:
    """Shift onset (and rest) logits per lane towards a target density (see the module doc).

    logits (K, L, T, 129) and onset_logits (K, L, T) of a view (already
    masked to the allowed pitches); target: float (L,) onsets per step, NaN
    = leave the lane alone; cells: bool (L, T) the lane's cells being
    written in this view; open_: bool (K, L, T) those still to draw; onset:
    long (K, L, T) current onsets (1 = a written note starts there).
    """
    goal = torch.as_tensor(np.asarray(target, dtype=np.float32))
    steer = torch.isfinite(goal) & cells.any(1)
    if not bool(steer.any()):
        return logits, onset_logits
    t = max(temperature, 1e-4)
    n = cells.sum(1).float()
    fixed = ((onset == 1) & cells[None] & ~open_).sum(2).float()
    rest = logits[..., REST].float() / t
    sound = torch.logsumexp(torch.cat([logits[..., :REST], logits[..., REST + 1:]], -1).float() / t, -1)
    grid = BIAS_GRID.view(-1, 1, 1, 1)
    p_sound = torch.sigmoid(sound[None] - (rest[None] - grid.clamp(min=0) / t))
    p_on = torch.sigmoid((onset_logits.float()[None] + grid) / t)
    expected = fixed[None] + (p_sound * p_on * open_[None]).sum(-1)
    want = (goal * n)[None, None]
    best = BIAS_GRID[(expected - want).abs().argmin(0)]
    now = expected[len(BIAS_GRID) // 2]
    inside = (now >= want[0] / tolerance) & (now <= want[0] * tolerance)
    bias = torch.where(steer[None] & ~inside, best, torch.zeros_like(best))
    logits = logits.clone()
    logits[..., REST] = logits[..., REST] - bias.clamp(min=0)[..., None]
    return logits, onset_logits + bias[..., None]


def trust_onsets(pitch: np.ndarray, onset: np.ndarray, target: np.ndarray) -> None:
    """Make written cells agree with their onset flags, as the training data always does.

    A written cell that sounds without an onset after a sounding cell of
    another pitch holds that pitch instead (cells are drawn in random order,
    so neighbours can disagree); one that sounds without an onset after a
    rest starts a note and gets the flag. pitch: uint8 (K, L, T), onset:
    bool (K, L, T), changed in place left to right; target: bool (L, T).
    """
    lanes = np.flatnonzero(target.any(1))
    for t in range(1, pitch.shape[2]):
        rows = lanes[target[lanes, t]]
        if not len(rows):
            continue
        now, before = pitch[:, rows, t], pitch[:, rows, t - 1]
        held = (now != REST) & ~onset[:, rows, t]
        change = held & (before != REST) & (before != now)
        pitch[:, rows, t] = np.where(change, before, now)
        onset[:, rows, t] |= held & (before == REST)


def release_onsets(pitch: np.ndarray, onset: np.ndarray, target: np.ndarray, cell_onset: np.ndarray | None
                   ) -> None:
    """Where ``cell_onset`` is 0 in the target, let no note start: hold the note before, else rest.

    pitch: uint8 (K, L, T), onset: bool (K, L, T), changed in place; target: bool (L, T).
    """
    if cell_onset is None:
        return
    lanes, steps = np.nonzero(target & (cell_onset == 0))
    for lane, t in sorted(zip(lanes.tolist(), steps.tolist()), key=lambda x: (x[0], x[1])):
        before = pitch[:, lane, t - 1] if t > 0 else np.full(pitch.shape[0], REST, dtype=pitch.dtype)
        starts = (pitch[:, lane, t] != REST) & (onset[:, lane, t] | (pitch[:, lane, t] != before))
        pitch[starts, lane, t] = before[starts]
        onset[:, lane, t] = False
