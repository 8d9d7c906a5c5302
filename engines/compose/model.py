"""The composer network: an axial transformer over lanes × 16th steps.

Each cell (one lane at one step) is embedded from its pitch token (pitch,
rest or mask), its onset token (held, onset or unknown), its lane's role and
rank, its place in the bar, the global attributes and the per-step controls.
Each block attends along time within a lane (rotary positions, so it is
relative and the window can move), then across the lanes at one step, then
applies an MLP. Two heads give every cell's pitch logits (128 pitches + rest)
and onset logit. Built from a ``ModelConfig``; weights load from safetensors.
"""
from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from engines.compose.config import MASK_PITCH, MELODY_CENTRE, MELODY_OCTAVE, N_PITCH, ModelConfig


@dataclass
class ModelInput:
    """Tensors for one batch (B examples, L lanes, T steps).

    pitch: long (B, L, T): 0-127, 128 rest, 129 unknown. onset: long (B, L, T):
    0 held or rest, 1 onset, 2 unknown. role, rank: long (B, L). lane_valid:
    bool (B, L), False for padding lanes. pos: long (B, T) step within the
    bar; bar_len: long (B, T) steps in the bar. step_valid: bool (B, T).
    attrs: long (B, A), 0 = unspecified. controls: float (B, T, 2 * C),
    (value, specified) per control.
    """

    pitch: torch.Tensor
    onset: torch.Tensor
    role: torch.Tensor
    rank: torch.Tensor
    lane_valid: torch.Tensor
    pos: torch.Tensor
    bar_len: torch.Tensor
    step_valid: torch.Tensor
    attrs: torch.Tensor
    controls: torch.Tensor

    def to(self, device: torch.device | str) -> "ModelInput":
        return ModelInput(**{k: v.to(device) for k, v in self.__dict__.items()})


def rotary(n: int, dim: int, device: torch.device) -> tuple[torch.Tensor, torch.Tensor]:
    """cos, sin float (n, dim) for rotary position embedding over ``n`` steps."""
    inv = 1.0 / (10000 ** (torch.arange(0, dim, 2, device=device).float() / dim))
    ang = torch.arange(n, device=device).float()[:, None] * inv[None, :]
    ang = torch.cat([ang, ang], dim=-1)
    return ang.cos(), ang.sin()


def _rotate(x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
    half = x.shape[-1] // 2
    turned = torch.cat([-x[..., half:], x[..., :half]], dim=-1)
    return x * cos + turned * sin


class Attention(nn.Module):
    """Multi-head self-attention over the second-last axis of (N, S, d).

    ``fused`` uses torch's fused kernels (for long axes: time); otherwise the
    plain matrix form, which is faster for a handful of lanes and has no
    limit on N (the fused GPU kernels refuse N * heads > 65535).
    """

    def __init__(self, d: int, heads: int, *, fused: bool) -> None:
        super().__init__()
        self.heads, self.fused = heads, fused
        self.qkv = nn.Linear(d, 3 * d, bias=False)
        self.out = nn.Linear(d, d, bias=False)

    def forward(self, x: torch.Tensor, mask: torch.Tensor | None,
                rope: tuple[torch.Tensor, torch.Tensor] | None = None) -> torch.Tensor:
        n, s, d = x.shape
        q, k, v = self.qkv(x).view(n, s, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        if rope is not None:
            q, k = _rotate(q, *rope), _rotate(k, *rope)
        if self.fused:
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        else:
            att = (q @ k.transpose(-1, -2)) * (q.shape[-1] ** -0.5)
            if mask is not None:
                att = att.masked_fill(~mask, float("-inf"))
            y = att.softmax(-1) @ v
        return self.out(y.transpose(1, 2).reshape(n, s, d))


class Block(nn.Module):
    """Time attention, lane attention and MLP, each pre-normed and residual."""

    def __init__(self, cfg: ModelConfig) -> None:
        super().__init__()
        d = cfg.d_model
        self.norm_t, self.norm_l, self.norm_f = nn.LayerNorm(d), nn.LayerNorm(d), nn.LayerNorm(d)
        self.time = Attention(d, cfg.n_heads, fused=True)
        self.lane = Attention(d, cfg.n_heads, fused=False)
        self.mlp = nn.Sequential(nn.Linear(d, cfg.ff_mult * d), nn.GELU(), nn.Linear(cfg.ff_mult * d, d))
        self.drop = nn.Dropout(cfg.dropout)

    def forward(self, x: torch.Tensor, time_mask: torch.Tensor | None, lane_mask: torch.Tensor | None,
                rope: tuple[torch.Tensor, torch.Tensor]) -> torch.Tensor:
        b, l, t, d = x.shape
        h = self.time(self.norm_t(x).reshape(b * l, t, d), time_mask, rope).view(b, l, t, d)
        x = x + self.drop(h)
        h = self.norm_l(x).transpose(1, 2).reshape(b * t, l, d)
        x = x + self.drop(self.lane(h, lane_mask).view(b, t, l, d).transpose(1, 2))
        return x + self.drop(self.mlp(self.norm_f(x)))


class Composer(nn.Module):
    """The network; ``forward`` gives pitch logits (B, L, T, 129) and onset logits (B, L, T).

    ``trained_conditions``: the controls and attributes its weights were trained on (set when
    loaded, ``weights.from_tensors``; empty: none, those inputs are untrained)."""

    def __init__(self, cfg: ModelConfig) -> None:
        super().__init__()
        self.cfg = cfg
        self.trained_conditions: tuple[str, ...] = ()
        d = cfg.d_model
        self.pitch = nn.Embedding(MASK_PITCH + 1, d)
        self.onset = nn.Embedding(3, d)
        self.role = nn.Embedding(cfg.n_roles, d)
        self.rank = nn.Embedding(cfg.max_rank, d)
        self.pos = nn.Embedding(cfg.max_bar, d)
        self.bar_len = nn.Embedding(cfg.max_bar + 1, d)
        self.attrs = nn.ModuleList(nn.Embedding(n, d) for _, n in cfg.attributes)
        self.controls = nn.Linear(2 * len(cfg.controls), d)
        self.melody_pitch = nn.Linear(d, d, bias=False) if cfg.melody_pitch and "melody" in cfg.controls else None
        self.blocks = nn.ModuleList(Block(cfg) for _ in range(cfg.n_layers))
        self.norm = nn.LayerNorm(d)
        self.pitch_head = nn.Linear(d, N_PITCH + 1)
        self.onset_head = nn.Linear(d, 1)

    def embed(self, inp: ModelInput) -> torch.Tensor:
        """Cell vectors, float (B, L, T, d)."""
        cfg = self.cfg
        x = self.pitch(inp.pitch) + self.onset(inp.onset)
        x = x + (self.role(inp.role) + self.rank(inp.rank.clamp(max=cfg.max_rank - 1)))[:, :, None]
        step = self.pos(inp.pos % cfg.max_bar) + self.bar_len(inp.bar_len.clamp(max=cfg.max_bar))
        step = step + self.controls(inp.controls)
        if self.melody_pitch is not None:
            step = step + self._melody(inp.controls)
        glob = sum(emb(inp.attrs[:, i]) for i, emb in enumerate(self.attrs))
        return x + (step + glob[:, None])[:, None]

    def _melody(self, controls: torch.Tensor) -> torch.Tensor:
        """The melody control as the projected embedding of its pitch where given: float (B, T, d)."""
        assert self.melody_pitch is not None
        i = self.cfg.controls.index("melody")
        value, given = controls[..., 2 * i], controls[..., 2 * i + 1] > 0
        pitch = (value * MELODY_OCTAVE + MELODY_CENTRE).round().long().clamp(0, N_PITCH - 1)
        return self.melody_pitch(self.pitch(pitch)) * given[..., None]

    def forward(self, inp: ModelInput) -> tuple[torch.Tensor, torch.Tensor]:
        x = self.embed(inp)
        b, l, t, _ = x.shape
        rope = rotary(t, self.cfg.d_model // self.cfg.n_heads, x.device)
        time_mask = lane_mask = None
        if not bool(inp.step_valid.all()):
            time_mask = inp.step_valid[:, None].expand(b, l, t).reshape(b * l, 1, 1, t)
        if not bool(inp.lane_valid.all()):
            lane_mask = inp.lane_valid[:, None].expand(b, t, l).reshape(b * t, 1, 1, l)
        for block in self.blocks:
            x = block(x, time_mask, lane_mask, rope)
        x = self.norm(x)
        return self.pitch_head(x), self.onset_head(x).squeeze(-1)


def n_params(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
