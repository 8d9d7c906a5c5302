"""Iterative refinement (MaskGIT schedule) over a lanes × steps grid, with constraints.

Every cell to write starts unknown. Each pass runs the network on the whole
view, draws a pitch and an onset for every open cell (temperature-scaled,
only from the pitches that cell allows), and fixes the most confident ones;
the number left open follows a cosine schedule to zero. Cells outside the
target are never changed. Music longer than the window is written in
chunks of ``window - 2 * context`` steps, left to right, each seen with its
context on both sides.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

from engines.common import CancelToken, Progress, no_progress
from engines.compose.config import MASK_PITCH, N_PITCH, ONSET_UNKNOWN, SampleConfig
from engines.compose.grid import REST
from engines.compose.guidance import constrain, release_onsets, steer_density, trust_onsets
from engines.compose.model import Composer, ModelInput


@dataclass(frozen=True)
class GridProblem:
    """What to write, as arrays (L lanes, T steps).

    pitch: uint8 (L, T) current cells (``REST`` = silent); onset: bool (L, T).
    target: bool (L, T) cells to write. allowed: bool (L, 129) pitches each
    lane may use (index 128 = rest, always allowed). role, rank: int (L,).
    pos, bar_len: int (T,) metre. attrs: int (A,) attribute classes (0 =
    unspecified). controls: float (T, 2C) or None (all unspecified).
    cell_pitch: int16 (L, T) pitch a written cell must take, -1 free (or
    None). cell_onset: int8 (L, T) 1 = a note must start here, 0 = none may
    (the cell rests or holds the note before), -1 free (or None).
    density: float32 (L,) onsets per step each written lane should have over
    its target cells, NaN = free (or None); ``density_tolerance``: a lane
    already within this factor of its target is left alone (1 = always steer).
    """

    pitch: np.ndarray
    onset: np.ndarray
    target: np.ndarray
    allowed: np.ndarray
    role: np.ndarray
    rank: np.ndarray
    pos: np.ndarray
    bar_len: np.ndarray
    attrs: np.ndarray
    controls: np.ndarray | None = None
    cell_pitch: np.ndarray | None = None
    cell_onset: np.ndarray | None = None
    density: np.ndarray | None = None
    density_tolerance: float = 1.0


def chunks(target: np.ndarray, cfg: SampleConfig) -> list[tuple[int, int, int, int]]:
    """(chunk_start, chunk_stop, view_start, view_stop) covering the target's steps.

    target: bool (L, T). A span that fits the window with its context is one
    chunk. Longer spans are cut into equal chunks written left to right;
    each sees ``context`` steps on its left (already written or given) and,
    when some lane is given inside the span, ``context`` on its right too.
    """
    n_steps = target.shape[1]
    cols = np.flatnonzero(target.any(0))
    start, stop = int(cols[0]), int(cols[-1]) + 1
    if stop - start + 2 * cfg.context <= cfg.window or n_steps <= cfg.window:
        lo = max(0, min(start - cfg.context, n_steps - cfg.window))
        return [(start, stop, lo, min(n_steps, max(stop + cfg.context, lo + cfg.window)))]
    right = cfg.context if (~target[:, start:stop]).any() else 0
    n = -(-(stop - start) // (cfg.window - cfg.context - right))
    size = -(-(stop - start) // n)
    out = []
    for a in range(start, stop, size):
        b = min(stop, a + size)
        out.append((a, b, max(0, a - cfg.context), min(n_steps, b + right)))
    return out


def _inputs(prob: GridProblem, pitch: torch.Tensor, onset: torch.Tensor, lo: int, hi: int,
            n_controls: int) -> ModelInput:
    k, l, t = pitch.shape[0], pitch.shape[1], hi - lo
    rep = lambda a: torch.as_tensor(np.asarray(a), dtype=torch.long)[None].expand(k, *np.shape(a))  # noqa: E731
    controls = (torch.zeros(t, 2 * n_controls) if prob.controls is None
                else torch.as_tensor(prob.controls[lo:hi], dtype=torch.float32))
    return ModelInput(pitch=pitch[:, :, lo:hi], onset=onset[:, :, lo:hi], role=rep(prob.role),
                      rank=rep(prob.rank), lane_valid=torch.ones(k, l, dtype=torch.bool),
                      pos=rep(prob.pos[lo:hi]), bar_len=rep(prob.bar_len[lo:hi]),
                      step_valid=torch.ones(k, t, dtype=torch.bool), attrs=rep(prob.attrs),
                      controls=controls[None].expand(k, t, controls.shape[-1]))


def _logits(model: Composer, inp: ModelInput) -> tuple[torch.Tensor, torch.Tensor]:
    """The model's (pitch, onset) logits as float32 on the CPU, whatever device the model is on.

    Sampling stays on the CPU with a CPU generator, so a seed draws the same notes on every device.
    """
    device = next(model.parameters()).device
    logits, onset_logits = model(inp.to(device))
    return logits.float().cpu(), onset_logits.float().cpu()


def _draw(logits: torch.Tensor, onset_logits: torch.Tensor, temperature: float,
          gen: torch.Generator) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Sampled pitch (K,L,T) long, onset long, and log-probability of the choice (confidence)."""
    logp = torch.log_softmax(logits.float() / max(temperature, 1e-4), dim=-1)
    if temperature <= 1e-4:
        pitch = logp.argmax(-1)
    else:
        u = torch.rand(logp.shape, generator=gen).clamp_(1e-9, 1 - 1e-9)
        pitch = (logp - torch.log(-torch.log(u))).argmax(-1)
    p_on = torch.sigmoid(onset_logits.float() / max(temperature, 1e-4))
    on = (torch.rand(p_on.shape, generator=gen) < p_on).long() if temperature > 1e-4 else (p_on > 0.5).long()
    on = torch.where(pitch == REST, torch.zeros_like(on), on)
    conf = logp.gather(-1, pitch[..., None]).squeeze(-1)
    conf = conf + torch.where(pitch == REST, torch.zeros_like(p_on), torch.log(torch.where(on == 1, p_on, 1 - p_on) + 1e-9))
    return pitch, on, conf


@dataclass
class _View:
    """One chunk being written: the view [lo, hi) the model reads, the chunk's cells (bool
    (K, L, hi - lo)) and those still open."""

    lo: int
    hi: int
    chunk: torch.Tensor
    open_: torch.Tensor


def _forward(model: Composer, prob: GridProblem, pitch: torch.Tensor, onset: torch.Tensor, view: _View,
             allowed: torch.Tensor, cfg: SampleConfig) -> tuple[torch.Tensor, torch.Tensor]:
    """The model's logits on a view with the allowed pitches, cell locks and density applied."""
    lo, hi = view.lo, view.hi
    logits, onset_logits = _logits(model, _inputs(prob, pitch, onset, lo, hi, len(model.cfg.controls)))
    logits = logits.float().masked_fill(~allowed[None, :, None, :], -math.inf)
    logits, onset_logits = constrain(logits, onset_logits.float(),
                                     None if prob.cell_pitch is None else prob.cell_pitch[:, lo:hi],
                                     None if prob.cell_onset is None else prob.cell_onset[:, lo:hi])
    if prob.density is not None:
        logits, onset_logits = steer_density(logits, onset_logits, target=prob.density, cells=view.chunk[0],
                                             open_=view.open_, onset=onset[:, :, lo:hi],
                                             temperature=cfg.temperature, tolerance=prob.density_tolerance)
    return logits, onset_logits


@torch.inference_mode()
def refine(model: Composer, prob: GridProblem, *, cfg: SampleConfig, variations: int = 1, seed: int = 0,
           progress: Progress = no_progress, cancel: CancelToken | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Fill ``prob.target``; returns (pitch uint8 (K, L, T), onset bool (K, L, T)), K = variations."""
    model.eval()
    gen = torch.Generator().manual_seed(seed)
    k = variations
    pitch = torch.as_tensor(prob.pitch.astype(np.int64))[None].repeat(k, 1, 1)
    onset = torch.as_tensor(prob.onset.astype(np.int64))[None].repeat(k, 1, 1)
    target = torch.as_tensor(prob.target)
    pitch[:, target], onset[:, target] = MASK_PITCH, ONSET_UNKNOWN
    allowed = torch.as_tensor(prob.allowed)
    allowed[:, REST] = True
    if not prob.target.any():
        return pitch.numpy().astype(np.uint8), onset.numpy().astype(bool)
    plan = chunks(prob.target, cfg)
    for c, (a, b, lo, hi) in enumerate(plan):
        open_ = target[None, :, lo:hi].clone().repeat(k, 1, 1)
        open_[:, :, : a - lo] = False
        open_[:, :, b - lo:] = False
        view = _View(lo, hi, open_.clone(), open_)
        n0 = int(open_[0].sum())
        steps = passes(n0, cfg)
        for s in range(steps + cfg.gibbs):
            if cancel:
                cancel.check()
            if s < steps:
                _pass(model, prob, pitch, onset, view, allowed, n0, s, steps, cfg, gen)
            else:
                _gibbs(model, prob, pitch, onset, view, allowed, (s - steps) / cfg.gibbs, cfg, gen)
            progress((c + (s + 1) / (steps + cfg.gibbs)) / len(plan), f"writing steps {a}-{b}")
    pitch[pitch == MASK_PITCH] = REST
    onset[onset == ONSET_UNKNOWN] = 0
    out_p, out_o = pitch.numpy().astype(np.uint8), onset.numpy().astype(bool)
    trust_onsets(out_p, out_o, prob.target)
    release_onsets(out_p, out_o, prob.target, prob.cell_onset)
    return out_p, out_o


def passes(n_cells: int, cfg: SampleConfig) -> int:
    """Refinement passes for a chunk with ``n_cells`` cells to write (see ``SampleConfig``)."""
    if cfg.steps:
        return cfg.steps
    return int(np.clip(-(-n_cells // cfg.cells_per_step), cfg.min_steps, cfg.max_steps))


def _pass(model: Composer, prob: GridProblem, pitch: torch.Tensor, onset: torch.Tensor, view: _View,
          allowed: torch.Tensor, n0: int, s: int, steps: int, cfg: SampleConfig, gen: torch.Generator) -> None:
    """One refinement pass on the view: fix the most confident open cells in place."""
    logits, onset_logits = _forward(model, prob, pitch, onset, view, allowed, cfg)
    new_p, new_o, conf = _draw(logits, onset_logits, cfg.temperature, gen)
    keep_open = int(math.floor(n0 * math.cos(math.pi / 2 * (s + 1) / steps)))
    if cfg.order == "random":
        conf = torch.rand(conf.shape, generator=gen)
    open_ = view.open_
    conf = conf.masked_fill(~open_, math.inf).flatten(1)
    fix = open_.clone()
    if keep_open > 0:
        lowest = conf.topk(keep_open, dim=1, largest=False).indices
        fix.view(fix.shape[0], -1).scatter_(1, lowest, False)
    view_p, view_o = pitch[:, :, view.lo:view.hi], onset[:, :, view.lo:view.hi]
    view_p[fix], view_o[fix] = new_p[fix], new_o[fix]
    open_ &= ~fix


def _gibbs(model: Composer, prob: GridProblem, pitch: torch.Tensor, onset: torch.Tensor, view: _View,
           allowed: torch.Tensor, progress: float, cfg: SampleConfig, gen: torch.Generator) -> None:
    """One block-Gibbs pass (Coconet): hide a random share of the written cells, draw them again.

    The share falls from ``cfg.gibbs_from`` to ``cfg.gibbs_to`` as ``progress`` goes 0 -> 1.
    """
    share = cfg.gibbs_from + (cfg.gibbs_to - cfg.gibbs_from) * progress
    redo = view.chunk & (torch.rand(view.chunk.shape, generator=gen) < share)
    view_p, view_o = pitch[:, :, view.lo:view.hi], onset[:, :, view.lo:view.hi]
    view_p[redo], view_o[redo] = MASK_PITCH, ONSET_UNKNOWN
    view.open_ |= redo
    logits, onset_logits = _forward(model, prob, pitch, onset, view, allowed, cfg)
    new_p, new_o, _ = _draw(logits, onset_logits, cfg.temperature, gen)
    view_p[redo], view_o[redo] = new_p[redo], new_o[redo]
    view.open_ &= ~redo


def allowed_pitches(lo: int, hi: int, scale: np.ndarray | None = None) -> np.ndarray:
    """bool (129,): pitches lo..hi (inclusive), within ``scale`` (bool (128,)) if given; rest allowed."""
    out = np.zeros(N_PITCH + 1, dtype=bool)
    out[max(0, lo):min(127, hi) + 1] = True
    if scale is not None:
        out[:N_PITCH] &= scale
    out[REST] = True
    return out
