"""Training the embedded separator's mask network on mixes of known stems (torch, CPU or GPU).

A batch is ``batch`` random crops of ``crop_s`` seconds of 4-stem excerpts
(mono, ``SOURCES`` order). Augmentation: each stem gets a random gain, a few
stems are silenced, some items mix stems of different excerpts (Demucs'
remixing), and the mix is brought to a random level, as the separator does
to its input. The loss is the negative signal-to-distortion ratio of each
masked stem against the true stem in the STFT domain (Parseval: the
waveform SDR, up to the window's weighting), averaged over stems and items,
with a floor relative to the mix so silent stems do not dominate.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np
import torch

from engines.separate.mask_config import MaskConfig
from engines.separate.mask_torch import MaskModule

CropFn = Callable[[np.random.Generator, int], np.ndarray]
"""(rng, samples) -> float32 (4, samples): one random crop of one excerpt's stems."""


@dataclass(frozen=True)
class TrainConfig:
    """Optimisation and augmentation settings (defaults: the shipped model's run).

    steps / batch / crop_s: updates, items per batch, seconds per item.
    lr / lr_end / warmup: AdamW learning rate, cosine-decayed to ``lr_end``
    after ``warmup`` linear steps. weight_decay, clip: AdamW decay, gradient norm.
    level_db: range of the mix's RMS (dBFS) the network sees. stem_gain_db:
    each stem's gain is uniform in +-this. silence: chance a stem is muted.
    remix: chance an item takes each stem from a different excerpt.
    floor: the loss counts stem errors below ``floor`` times the mix energy as equal.
    """

    steps: int = 6000
    batch: int = 8
    crop_s: float = 3.0
    lr: float = 1e-3
    lr_end: float = 3e-5
    warmup: int = 200
    weight_decay: float = 1e-4
    clip: float = 5.0
    level_db: tuple[float, float] = (-32.0, -10.0)
    stem_gain_db: float = 6.0
    silence: float = 0.05
    remix: float = 0.3
    floor: float = 1e-4


def learning_rate(cfg: TrainConfig, step: int) -> float:
    if step < cfg.warmup:
        return cfg.lr * (step + 1) / cfg.warmup
    t = min(1.0, (step - cfg.warmup) / max(1, cfg.steps - cfg.warmup))
    return cfg.lr_end + 0.5 * (cfg.lr - cfg.lr_end) * (1 + math.cos(math.pi * t))


def make_batch(crop: CropFn, cfg: TrainConfig, mcfg: MaskConfig, rng: np.random.Generator) -> torch.Tensor:
    """float32 (batch, 4, samples) of augmented stems; their sum is the mix."""
    n = int(cfg.crop_s * mcfg.sample_rate)
    items = []
    for _ in range(cfg.batch):
        stems = crop(rng, n)
        if rng.random() < cfg.remix:
            stems = np.stack([crop(rng, n)[s] for s in range(len(stems))])
        gains = 10 ** (rng.uniform(-cfg.stem_gain_db, cfg.stem_gain_db, len(stems)) / 20)
        gains *= rng.random(len(stems)) >= cfg.silence
        stems = stems * gains[:, None].astype(np.float32)
        rms = float(np.sqrt(np.mean(stems.sum(axis=0) ** 2)))
        level = 10 ** (rng.uniform(*cfg.level_db) / 20)
        items.append(stems * np.float32(level / max(rms, 1e-6)))
    return torch.from_numpy(np.stack(items).astype(np.float32))


def spectra(x: torch.Tensor, mcfg: MaskConfig) -> torch.Tensor:
    """Centred STFT as ``engines.separate.stft.stft``: (..., samples) -> complex (..., bins, frames)."""
    shape = x.shape
    window = torch.hann_window(mcfg.n_fft, periodic=True, device=x.device)
    spec = torch.stft(x.reshape(-1, shape[-1]), mcfg.n_fft, mcfg.hop, window=window, center=True,
                      pad_mode="constant", return_complex=True)
    return spec.reshape(*shape[:-1], *spec.shape[-2:])


def band_sums(x: torch.Tensor, mcfg: MaskConfig) -> torch.Tensor:
    """Sum over each band's bins: (..., bins, frames) -> (..., n_bands, frames).

    Added bin by bin into its band (a cumulative sum would lose the quiet high bands to rounding).
    """
    widths = torch.tensor(mcfg.band_edges, device=x.device).diff()
    band_of_bin = torch.repeat_interleave(torch.arange(mcfg.n_bands, device=x.device), widths)
    out = torch.zeros(*x.shape[:-2], mcfg.n_bands, x.shape[-1], dtype=x.dtype, device=x.device)
    return out.index_add_(x.dim() - 2, band_of_bin, x)


def features(band_power: torch.Tensor, mcfg: MaskConfig) -> torch.Tensor:
    """Log magnitudes (batch, n_bands, frames) from each band's summed power, floored and averaged
    over the band's bins exactly as ``mask_model.band_features`` does."""
    widths = torch.tensor(mcfg.band_edges, device=band_power.device).diff().to(band_power.dtype)[:, None]
    return 0.5 * torch.log((band_power / widths).clamp_min(mcfg.log_floor ** 2))


def sdr_loss(model: MaskModule, stems: torch.Tensor, cfg: TrainConfig) -> tuple[torch.Tensor, torch.Tensor]:
    """(loss, per-stem mean SDR in dB (4,)) for a batch of stems (batch, 4, samples).

    A band's mask M applies to each of its bins, so a masked stem's error is
    ||M X - S||^2 = sum over bands of M^2 P - 2 M C, plus ||S||^2, where P and C are
    the band sums of |X|^2 and Re(X* S): computed once per batch without gradient,
    the loss then costs only (batch, 4, n_bands, frames) real operations.
    """
    mcfg = model.cfg
    with torch.no_grad():
        spec = spectra(stems, mcfg)  # (B, 4, F, T)
        mix = spec.sum(dim=1)
        power = band_sums(mix.real.square() + mix.imag.square(), mcfg)
        cross = band_sums(mix.real[:, None] * spec.real + mix.imag[:, None] * spec.imag, mcfg)
        ref = (spec.real.square() + spec.imag.square()).sum(dim=(-1, -2))
        floor = cfg.floor * power.sum(dim=(-1, -2))[:, None] + 1e-10
        del spec, mix
    masks = model(features(power, mcfg))
    err = (masks * (masks * power[:, None] - 2 * cross)).sum(dim=(-1, -2)) + ref
    sdr = 10 * torch.log10((ref + floor) / (err.clamp_min(0) + floor))
    return -sdr.mean(), sdr.detach().mean(dim=0)


@torch.no_grad()
def input_stats(crop: CropFn, cfg: TrainConfig, mcfg: MaskConfig, rng: np.random.Generator,
                batches: int = 8) -> tuple[torch.Tensor, torch.Tensor]:
    """Per-bin mean and standard deviation of the log-magnitude features over a few batches."""
    mixes = [spectra(make_batch(crop, cfg, mcfg, rng).sum(dim=1), mcfg) for _ in range(batches)]
    feats = torch.cat([features(band_sums(m.real.square() + m.imag.square(), mcfg), mcfg).transpose(1, 2)
                       .reshape(-1, mcfg.n_bands) for m in mixes])
    return feats.mean(dim=0), feats.std(dim=0)


def train_step(model: MaskModule, opt: torch.optim.Optimizer, stems: torch.Tensor, cfg: TrainConfig,
               step: int) -> tuple[float, np.ndarray]:
    """One update; returns (loss, per-stem SDR (4,))."""
    for group in opt.param_groups:
        group["lr"] = learning_rate(cfg, step)
    model.train()
    loss, sdr = sdr_loss(model, stems, cfg)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), cfg.clip)
    opt.step()
    return float(loss.detach()), sdr.cpu().numpy()


def optimizer(model: MaskModule, cfg: TrainConfig) -> torch.optim.Optimizer:
    return torch.optim.AdamW(model.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)
