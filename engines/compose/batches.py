"""Training batches with random masks, built on the training device.

All pieces live in a few flat tensors on the device (lanes padded to
``MAX_LANES``); a batch picks one source, pieces from it and a window in
each, transposes, and draws one mask per example: whole lanes, a bar span,
scattered cells, a continuation, everything, or lanes plus a span. So one
model learns generation from nothing, track infilling, bar infilling and
continuation.
"""
from __future__ import annotations

import numpy as np
import torch

from engines.compose.config import MASK_PITCH, ONSET_UNKNOWN, TrainConfig
from engines.compose.data import Piece
from engines.compose.grid import REST, ROLES
from engines.compose.keys import UNKNOWN_KEY
from engines.compose.model import ModelInput

MAX_LANES = 8
OTHER = ROLES.index("other")
MODES = ("lanes", "span", "scatter", "continue", "all", "lanes+span")
MODE_P = (0.3, 0.2, 0.2, 0.1, 0.05, 0.15)


def lane_ranks(roles: np.ndarray) -> np.ndarray:
    """For each lane, how many earlier lanes share its role: int64 (L,)."""
    return np.array([int((roles[:i] == r).sum()) for i, r in enumerate(roles)], dtype=np.int64)


class Batcher:
    """Draws masked training batches from pieces, on ``device``, reproducibly from ``seed``."""

    def __init__(self, pieces: list[Piece], cfg: TrainConfig, *, device: torch.device | str = "cpu",
                 seed: int = 0, n_attrs: int = 6, n_controls: int = 3) -> None:
        if not pieces:
            raise ValueError("no pieces to train on")
        self.cfg, self.device = cfg, torch.device(device)
        self.n_attrs, self.n_controls = n_attrs, n_controls
        self.gen = torch.Generator(device="cpu").manual_seed(seed)
        total = sum(p.n_steps for p in pieces)
        pitch = np.full((MAX_LANES, total), REST, dtype=np.int64)
        onset = np.zeros((MAX_LANES, total), dtype=np.int64)
        roles = np.full((len(pieces), MAX_LANES), OTHER, dtype=np.int64)
        ranks = np.zeros((len(pieces), MAX_LANES), dtype=np.int64)
        n_lanes = np.array([min(p.n_lanes, MAX_LANES) for p in pieces])
        starts = np.concatenate([[0], np.cumsum([p.n_steps for p in pieces])[:-1]])
        for i, p in enumerate(pieces):
            span, nl = slice(starts[i], starts[i] + p.n_steps), n_lanes[i]
            pitch[:nl, span], onset[:nl, span] = p.pitch[:nl], p.onset[:nl]
            roles[i, :nl], ranks[i, :nl] = p.roles[:nl], lane_ranks(p.roles[:nl])
        t = lambda a: torch.as_tensor(a, device=self.device)  # noqa: E731
        self.pitch, self.onset = t(pitch), t(onset)
        self.pos = t(np.concatenate([p.pos for p in pieces]).astype(np.int64))
        self.bar_len = t(np.concatenate([p.bar_len for p in pieces]).astype(np.int64))
        self.roles, self.ranks = t(roles), t(ranks)
        self.n_lanes = torch.as_tensor(n_lanes)
        self.starts = torch.as_tensor(starts)
        self.lengths = torch.as_tensor(np.array([p.n_steps for p in pieces]))
        self.keys = t(np.array([p.key for p in pieces], dtype=np.int64))
        self.groups = self._groups(pieces)

    def _groups(self, pieces: list[Piece]) -> list[tuple[float, torch.Tensor, torch.Tensor]]:
        """Per source: (weight, piece indices, their sampling probabilities ∝ length)."""
        by_source: dict[str, list[int]] = {}
        for i, p in enumerate(pieces):
            by_source.setdefault(p.source, []).append(i)
        groups = []
        for source, idx in sorted(by_source.items()):
            lengths = torch.tensor([float(pieces[i].n_steps) for i in idx])
            groups.append((self.cfg.weights.get(source, 1.0), torch.tensor(idx), lengths / lengths.sum()))
        return groups

    def _rand(self, *shape: int) -> torch.Tensor:
        return torch.rand(shape, generator=self.gen).to(self.device)

    def _randint(self, high: torch.Tensor | int, *shape: int) -> torch.Tensor:
        """Uniform integers in [0, high) (``high`` broadcast to ``shape``), on the device."""
        return self._randint_cpu(high, *shape).to(self.device)

    def _randint_cpu(self, high: torch.Tensor | int, *shape: int) -> torch.Tensor:
        return (torch.rand(shape, generator=self.gen) * torch.as_tensor(high)).long()

    def pick(self) -> torch.Tensor:
        """Piece indices of one batch, all from one source, long (B,) on the CPU."""
        weights = torch.tensor([g[0] for g in self.groups])
        idx, probs = self.groups[int(torch.multinomial(weights, 1, generator=self.gen))][1:]
        lanes = int(self.n_lanes[idx].float().mean().round().clamp(min=1))
        b = max(1, self.cfg.batch * 4 // lanes)
        return idx[torch.multinomial(probs, b, replacement=True, generator=self.gen)]

    def batch(self) -> tuple[ModelInput, torch.Tensor, torch.Tensor, torch.Tensor]:
        """(input, target pitch long (B,L,T), target onset float (B,L,T), loss mask bool (B,L,T))."""
        piece = self.pick()
        inp, pitch, onset = self.window(piece)
        mask = self.mask(inp.lane_valid, inp.step_valid)
        reveal = mask & (self._rand(len(piece), 1, 1) < self.cfg.rhythm_given)
        inp.pitch = torch.where(mask, torch.full_like(pitch, MASK_PITCH), pitch)
        inp.onset = torch.where(mask & ~reveal, torch.full_like(onset, ONSET_UNKNOWN), onset)
        return inp, pitch, onset.float(), mask

    def window(self, piece: torch.Tensor) -> tuple[ModelInput, torch.Tensor, torch.Tensor]:
        """Windows of the pieces, transposed; pitch and onset are the true cells."""
        b, w = len(piece), self.cfg.window
        length = self.lengths[piece]
        start = self._randint_cpu((length - w).clamp(min=0) + 1, b)
        steps = torch.arange(w)
        step_valid = (steps[None] < (length - start)[:, None]).to(self.device)
        col = (self.starts[piece] + start)[:, None] + torch.minimum(steps[None], (length - start - 1)[:, None])
        col = col.to(self.device)
        lanes = int(self.n_lanes[piece].max())
        n_lanes = self.n_lanes[piece].to(self.device)
        piece = piece.to(self.device)
        pitch = self.pitch[:lanes, col].permute(1, 0, 2)
        onset = self.onset[:lanes, col].permute(1, 0, 2)
        lane_valid = torch.arange(lanes, device=self.device)[None] < n_lanes[:, None]
        shift = self._randint(2 * self.cfg.transpose + 1, b) - self.cfg.transpose
        sounding = pitch != REST
        pitch = torch.where(sounding, (pitch + shift[:, None, None]).clamp(0, 127), pitch)
        valid = lane_valid[:, :, None] & step_valid[:, None]
        pitch = torch.where(valid, pitch, torch.full_like(pitch, REST))
        onset = torch.where(valid, onset, torch.zeros_like(onset))
        role = self.roles[piece, :lanes]
        role = torch.where(self._rand(b, lanes) < self.cfg.role_dropout, torch.full_like(role, OTHER), role)
        inp = ModelInput(pitch=pitch, onset=onset, role=role, rank=self.ranks[piece, :lanes],
                         lane_valid=lane_valid, pos=self.pos[col], bar_len=self.bar_len[col],
                         step_valid=step_valid, attrs=self._attrs(piece, shift),
                         controls=torch.zeros(b, w, 2 * self.n_controls, device=self.device))
        return inp, pitch, onset

    def _attrs(self, piece: torch.Tensor, shift: torch.Tensor) -> torch.Tensor:
        key = self.keys[piece]
        moved = (key % 12 + shift) % 12 + 12 * (key // 12)
        show = (key != UNKNOWN_KEY) & (self._rand(len(piece)) >= self.cfg.key_dropout)
        attrs = torch.zeros(len(piece), self.n_attrs, dtype=torch.long, device=self.device)
        attrs[:, 0] = torch.where(show, moved + 1, torch.zeros_like(moved))
        return attrs

    def mask(self, lane_valid: torch.Tensor, step_valid: torch.Tensor) -> torch.Tensor:
        """One random mask per example over its valid cells, bool (B, L, T)."""
        b, l = lane_valid.shape
        w = step_valid.shape[1]
        mode = torch.multinomial(torch.tensor(MODE_P), b, replacement=True, generator=self.gen).to(self.device)
        some = (self._rand(b, l) < self._rand(b, 1)) & lane_valid
        first = torch.argmax((lane_valid.float() + self._rand(b, l)), dim=1)
        some[torch.arange(b), first] |= ~some.any(1)
        lanes_or_all = torch.where(self._rand(b, 1) < 0.5, some, lane_valid)
        steps = torch.arange(w, device=self.device)[None]
        span_len = 16 * (1 + self._randint(8, b, 1))
        span_start = self._randint(w, b, 1)
        in_span = (steps >= span_start) & (steps < span_start + span_len)
        after = steps >= self._randint(w, b, 1)
        scatter = self._rand(b, l, w) < self._rand(b, 1, 1)
        masks = torch.stack([
            some[:, :, None].expand(b, l, w),
            lanes_or_all[:, :, None] & in_span[:, None],
            scatter,
            lanes_or_all[:, :, None] & after[:, None],
            torch.ones(b, l, w, dtype=torch.bool, device=self.device),
            some[:, :, None] | (lanes_or_all[:, :, None] & in_span[:, None]),
        ])
        chosen = masks[mode, torch.arange(b, device=self.device)]
        return chosen & lane_valid[:, :, None] & step_valid[:, None]
