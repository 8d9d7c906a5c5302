"""The embedded separator's network in torch, for training (``MaskModule``).

Same architecture and tensor names as the numpy ``mask_model.MaskNet``, which
runs the shipped weights; ``to_tensors`` writes what ``safetensors`` stores.
"""
from __future__ import annotations

import torch
from torch import nn

from engines.separate.mask_config import FORMAT, MaskConfig


class _Block(nn.Module):
    def __init__(self, hidden: int, dilation: int) -> None:
        super().__init__()
        self.norm = nn.LayerNorm(hidden)
        self.conv = nn.Conv1d(hidden, hidden, 3, dilation=dilation, padding=dilation)
        self.proj = nn.Linear(hidden, hidden)
        self.act = nn.GELU(approximate="tanh")

    def forward(self, h: torch.Tensor) -> torch.Tensor:
        """(batch, frames, hidden) -> the residual branch, same shape."""
        y = self.conv(self.norm(h).transpose(1, 2)).transpose(1, 2)
        return self.proj(self.act(y))


class MaskModule(nn.Module):
    """Band log-magnitudes (batch, n_bands, frames) -> masks (batch, sources, n_bands, frames) summing to 1."""

    def __init__(self, cfg: MaskConfig) -> None:
        super().__init__()
        self.cfg = cfg
        self.in_scale = nn.Parameter(torch.ones(cfg.n_bands))
        self.in_bias = nn.Parameter(torch.zeros(cfg.n_bands))
        self.embed = nn.Linear(cfg.n_bands, cfg.hidden)
        self.blocks = nn.ModuleList(_Block(cfg.hidden, d) for d in cfg.dilations)
        self.out_norm = nn.LayerNorm(cfg.hidden)
        self.head = nn.Linear(cfg.hidden, cfg.sources * cfg.n_bands)
        self.act = nn.GELU(approximate="tanh")

    def logits(self, logmag: torch.Tensor) -> torch.Tensor:
        """(batch, n_bands, frames) -> (batch, sources, n_bands, frames) unnormalised mask logits."""
        x = logmag.transpose(1, 2) * self.in_scale + self.in_bias
        h = self.act(self.embed(x))
        for block in self.blocks:
            h = h + block(h)
        out = self.head(self.out_norm(h))
        batch, frames = out.shape[:2]
        return out.reshape(batch, frames, self.cfg.sources, self.cfg.n_bands).permute(0, 2, 3, 1)

    def forward(self, logmag: torch.Tensor) -> torch.Tensor:
        return torch.softmax(self.logits(logmag), dim=1)

    @torch.no_grad()
    def set_input_stats(self, mean: torch.Tensor, std: torch.Tensor) -> None:
        """Start the per-bin input affine at (x - mean) / std of the training features."""
        self.in_scale.copy_(1.0 / std.clamp_min(1e-3))
        self.in_bias.copy_(-mean / std.clamp_min(1e-3))


def to_tensors(model: MaskModule, *, half: bool = True, info: dict[str, str] | None = None,
               ) -> tuple[dict[str, torch.Tensor], dict[str, str]]:
    """(tensors, metadata) for ``safetensors.torch.save_file``; ``half`` stores float16.

    Conv weights are stored as (out, in, 3), the 1x1 projections as Linear (out, in).
    """
    dtype = torch.float16 if half else torch.float32
    tensors = {k: v.detach().to("cpu", dtype).contiguous() for k, v in model.state_dict().items()}
    return tensors, {"format": FORMAT, "config": model.cfg.to_json(), **(info or {})}
