"""Training batches with random masks, built on the training device.

All pieces live in a few flat tensors on the device (lanes padded to
``config.MAX_LANES``); a batch picks one source, pieces from it and a window
in each, transposes the pitched lanes (never the drum lanes), and draws one
mask per example: whole lanes, a bar span, scattered cells, a continuation,
everything, lanes plus a span, or every lane of one role (a whole track:
all drum families, all voices of the comping) over a span. So one model
learns generation from nothing, track infilling, bar infilling and
continuation. Each example also shows the true controls over random spans
of time and a random subset of its attributes (see ``conditions``).
"""
from __future__ import annotations

import numpy as np
import torch

from engines.compose import conditions as cond
from engines.compose.config import (DENSITY_EDGES, MASK_PITCH, MAX_LANES, ONSET_UNKNOWN, REGISTER_EDGES,
                                    ModelConfig, TrainConfig)
from engines.compose.data import Piece, lane_ranks
from engines.compose.grid import REST, ROLES
from engines.compose.keys import UNKNOWN_KEY
from engines.compose.model import ModelInput

OTHER = ROLES.index("other")
MODES = ("lanes", "span", "scatter", "continue", "all", "lanes+span", "role+span")
MODE_P = (0.2, 0.15, 0.15, 0.1, 0.05, 0.1, 0.25)
PIECE_ATTRIBUTES = ("tempo", "instrument", "emotion", "style")
"""Attributes that hold for a whole piece (the rest are computed per window)."""

__all__ = ["Batcher", "MODES", "lane_ranks"]


class Batcher:
    """Draws masked training batches from pieces, on ``device``, reproducibly from ``seed``.

    Inputs are laid out for a model of config ``model`` (its attributes and
    controls, in its order); attributes the batcher does not know stay 0.
    """

    def __init__(self, pieces: list[Piece], cfg: TrainConfig, model: ModelConfig | None = None, *,
                 device: torch.device | str = "cpu", seed: int = 0) -> None:
        if not pieces:
            raise ValueError("no pieces to train on")
        model = model or ModelConfig()
        self.cfg, self.device = cfg, torch.device(device)
        self.attributes = tuple(name for name, _ in model.attributes)
        self.controls = model.controls
        self.gen = torch.Generator(device="cpu").manual_seed(seed)
        n_lanes = np.array([min(p.n_lanes, MAX_LANES) for p in pieces])
        starts = np.concatenate([[0], np.cumsum([p.n_steps for p in pieces])[:-1]])
        total = int(sum(p.n_steps for p in pieces))
        pitch = np.full((MAX_LANES, total), REST, dtype=np.uint8)
        onset = np.zeros((MAX_LANES, total), dtype=bool)
        curves = np.zeros((total, 2 * cond.N_CONTROLS), dtype=np.float16)
        roles = np.full((len(pieces), MAX_LANES), OTHER, dtype=np.int64)
        ranks = np.zeros((len(pieces), MAX_LANES), dtype=np.int64)
        whole = np.zeros((len(pieces), len(PIECE_ATTRIBUTES)), dtype=np.int64)
        for i, p in enumerate(pieces):
            span, nl = slice(starts[i], starts[i] + p.n_steps), n_lanes[i]
            pitch[:nl, span], onset[:nl, span] = p.pitch[:nl], p.onset[:nl]
            roles[i, :nl], ranks[i, :nl] = p.roles[:nl], p.lane_rank[:nl]
            vel = p.velocity[:nl] if p.velocity is not None else None
            curves[span] = cond.step_controls(p.pitch[:nl], p.onset[:nl], vel, p.roles[:nl])
            attrs = cond.piece_attributes(p)
            whole[i] = [attrs[a] for a in PIECE_ATTRIBUTES]
        t = lambda a: torch.as_tensor(a, device=self.device)  # noqa: E731
        self.pitch, self.onset, self.curves = t(pitch), t(onset), t(curves)
        self.pos = t(np.concatenate([p.pos for p in pieces]).astype(np.int64))
        self.bar_len = t(np.concatenate([p.bar_len for p in pieces]).astype(np.int64))
        self.roles, self.ranks, self.whole = t(roles), t(ranks), t(whole)
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
        weights = torch.tensor([float(g[0]) for g in self.groups])
        idx, probs = self.groups[int(torch.multinomial(weights, 1, generator=self.gen))][1:]
        lanes = int(self.n_lanes[idx].float().mean().round().clamp(min=1))
        b = max(1, self.cfg.batch * 4 // lanes)
        return idx[torch.multinomial(probs, b, replacement=True, generator=self.gen)]

    def batch(self) -> tuple[ModelInput, torch.Tensor, torch.Tensor, torch.Tensor]:
        """(input, target pitch long (B,L,T), target onset float (B,L,T), loss mask bool (B,L,T))."""
        piece = self.pick()
        inp, pitch, onset, true_role = self.window(piece)
        mask = self.mask(inp.lane_valid, inp.step_valid, true_role)
        reveal = mask & (self._rand(len(piece), 1, 1) < self.cfg.rhythm_given)
        inp.pitch = torch.where(mask, torch.full_like(pitch, MASK_PITCH), pitch)
        inp.onset = torch.where(mask & ~reveal, torch.full_like(onset, ONSET_UNKNOWN), onset)
        return inp, pitch, onset.float(), mask

    def window(self, piece: torch.Tensor) -> tuple[ModelInput, torch.Tensor, torch.Tensor, torch.Tensor]:
        """Windows of the pieces, transposed; pitch and onset are the true cells, and the lanes'
        true roles (long (B, L)) before any is hidden."""
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
        pitch = self.pitch[:lanes, col].permute(1, 0, 2).long()
        onset = self.onset[:lanes, col].permute(1, 0, 2).long()
        lane_valid = torch.arange(lanes, device=self.device)[None] < n_lanes[:, None]
        role = self.roles[piece, :lanes]
        drum = role == cond.DRUMS
        shift = self._randint(2 * self.cfg.transpose + 1, b) - self.cfg.transpose
        moves = (pitch != REST) & ~drum[:, :, None]
        pitch = torch.where(moves, (pitch + shift[:, None, None]).clamp(0, 127), pitch)
        valid = lane_valid[:, :, None] & step_valid[:, None]
        pitch = torch.where(valid, pitch, torch.full_like(pitch, REST))
        onset = torch.where(valid, onset, torch.zeros_like(onset))
        hide = (self._rand(b, lanes) < self.cfg.role_dropout) & ~drum
        shown = torch.where(hide, torch.full_like(role, OTHER), role)
        inp = ModelInput(pitch=pitch, onset=onset, role=shown, rank=self.ranks[piece, :lanes],
                         lane_valid=lane_valid, pos=self.pos[col], bar_len=self.bar_len[col],
                         step_valid=step_valid, attrs=self._attrs(piece, shift, pitch, onset, role, valid, col),
                         controls=self._controls(col, shift, step_valid))
        return inp, pitch, onset, role

    def _attrs(self, piece: torch.Tensor, shift: torch.Tensor, pitch: torch.Tensor, onset: torch.Tensor,
               role: torch.Tensor, valid: torch.Tensor, col: torch.Tensor) -> torch.Tensor:
        """Attribute classes (B, A), each hidden at random (the key by ``key_dropout``)."""
        b = len(piece)
        key = self.keys[piece]
        moved = (key % 12 + shift) % 12 + 12 * (key // 12)
        values = {"key": torch.where(key != UNKNOWN_KEY, moved + 1, torch.zeros_like(moved))}
        for i, name in enumerate(PIECE_ATTRIBUTES):
            values[name] = self.whole[piece, i]
        values.update(self._window_attrs(pitch, onset, role, valid, col))
        attrs = torch.zeros(b, len(self.attributes), dtype=torch.long, device=self.device)
        for i, name in enumerate(self.attributes):
            if name in values:
                p = self.cfg.key_dropout if name == "key" else self.cfg.attribute_dropout
                attrs[:, i] = torch.where(self._rand(b) >= p, values[name], torch.zeros_like(values[name]))
        return attrs

    def _window_attrs(self, pitch: torch.Tensor, onset: torch.Tensor, role: torch.Tensor, valid: torch.Tensor,
                      col: torch.Tensor) -> dict[str, torch.Tensor]:
        """Density and register classes of each window (as ``conditions.window_attributes``)."""
        steps = valid.any(1).sum(1).clamp(min=1).float()
        bars = steps / self.bar_len[col].float().mean(1)
        density = (onset * valid).sum((1, 2)).float() / bars.clamp(min=1e-6)
        sounding = (pitch != REST) & valid
        melody = sounding & (role == cond.MELODY)[:, :, None]
        pitched = sounding & (role != cond.DRUMS)[:, :, None]
        use = torch.where(melody.any((1, 2))[:, None, None], melody, pitched)
        n = use.sum((1, 2))
        mean = (pitch * use).sum((1, 2)).float() / n.clamp(min=1)
        edges = lambda e: torch.tensor(e, device=self.device)  # noqa: E731
        register = torch.where(n > 0, 1 + torch.bucketize(mean, edges(REGISTER_EDGES), right=True),
                               torch.zeros_like(n))
        return {"density": 1 + torch.bucketize(density, edges(DENSITY_EDGES), right=True), "register": register}

    def _controls(self, col: torch.Tensor, shift: torch.Tensor, step_valid: torch.Tensor) -> torch.Tensor:
        """Controls (B, T, 2C) of the windows, each shown over random spans of time only."""
        b, w = col.shape
        curves = self.curves[col].float()
        out = torch.zeros(b, w, 2 * len(self.controls), device=self.device)
        for i, name in enumerate(self.controls):
            if name not in cond.CONTROL_NAMES:
                continue
            j = cond.CONTROL_NAMES.index(name)
            value, given = curves[..., 2 * j], curves[..., 2 * j + 1] > 0
            if name == "melody":
                value = torch.where(given, value + shift[:, None] / 12.0, value)
            shown = given & self._time_mask(b, w) & step_valid
            out[..., 2 * i] = torch.where(shown, value, torch.zeros_like(value))
            out[..., 2 * i + 1] = shown.float()
        return out

    def _time_mask(self, b: int, w: int) -> torch.Tensor:
        """bool (B, T): nothing, everything, or 1-3 random spans of 16 to T/2 steps."""
        u = self._rand(b, 1)
        steps = torch.arange(w, device=self.device)[None]
        spans = torch.zeros(b, w, dtype=torch.bool, device=self.device)
        count = 1 + self._randint(3, b, 1)
        for k in range(3):
            length = 16 + self._randint(max(1, w // 2 - 15), b, 1)
            start = self._randint(w, b, 1)
            spans |= (k < count) & (steps >= start) & (steps < start + length)
        full = u < self.cfg.control_off + self.cfg.control_full
        return torch.where(u < self.cfg.control_off, torch.zeros_like(spans),
                           torch.where(full & (u >= self.cfg.control_off), torch.ones_like(spans), spans))

    def mask(self, lane_valid: torch.Tensor, step_valid: torch.Tensor, role: torch.Tensor) -> torch.Tensor:
        """One random mask per example over its valid cells, bool (B, L, T)."""
        b, l = lane_valid.shape
        w = step_valid.shape[1]
        mode = torch.multinomial(torch.tensor(MODE_P), b, replacement=True, generator=self.gen).to(self.device)
        some = (self._rand(b, l) < self._rand(b, 1)) & lane_valid
        first = torch.argmax((lane_valid.float() + self._rand(b, l)), dim=1)
        some[torch.arange(b), first] |= ~some.any(1)
        lanes_or_all = torch.where(self._rand(b, 1) < 0.5, some, lane_valid)
        track = (role == role[torch.arange(b), first][:, None]) & lane_valid
        steps = torch.arange(w, device=self.device)[None]
        span_len = 16 * (1 + self._randint(8, b, 1))
        span_start = self._randint(w, b, 1)
        in_span = (steps >= span_start) & (steps < span_start + span_len)
        track_span = in_span | (self._rand(b, 1) < 0.3)
        after = steps >= self._randint(w, b, 1)
        scatter = self._rand(b, l, w) < self._rand(b, 1, 1)
        masks = torch.stack([
            some[:, :, None].expand(b, l, w),
            lanes_or_all[:, :, None] & in_span[:, None],
            scatter,
            lanes_or_all[:, :, None] & after[:, None],
            torch.ones(b, l, w, dtype=torch.bool, device=self.device),
            some[:, :, None] | (lanes_or_all[:, :, None] & in_span[:, None]),
            track[:, :, None] & track_span[:, None],
        ])
        chosen = masks[mode, torch.arange(b, device=self.device)]
        return chosen & lane_valid[:, :, None] & step_valid[:, None]
