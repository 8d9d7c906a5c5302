"""The embedded separator's network, run in numpy (no torch at run time).

``MaskNet`` holds the weights (float32 arrays named as the torch module in
``mask_torch`` names them) and maps the log magnitudes of a mono spectrogram's
bands (``MaskConfig.band_edges``) to one soft mask per stem and band. ``MaskSeparator`` applies the masks to every channel's STFT
and inverts it: the masks sum to one in every bin, so the stems sum to the
input exactly (up to float rounding).
"""
from __future__ import annotations

import math
from typing import Mapping

import numpy as np

from engines.separate.mask_config import FORMAT, MaskConfig
from engines.separate.stft import masked_stems, stft


class MaskWeightsError(ValueError):
    """Tensors or metadata that do not make an embedded separator."""


def gelu(x: np.ndarray) -> np.ndarray:
    """GELU, tanh approximation (as ``torch.nn.GELU(approximate="tanh")``), in place on float32."""
    inner = np.float32(math.sqrt(2.0 / math.pi)) * (x + np.float32(0.044715) * x * x * x)
    return np.float32(0.5) * x * (np.float32(1.0) + np.tanh(inner))


def layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float = 1e-5) -> np.ndarray:
    """Normalise float32 (frames, hidden) over ``hidden``, then scale and shift."""
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    var = (centred * centred).mean(axis=-1, keepdims=True)
    return centred / np.sqrt(var + np.float32(eps)) * weight + bias


class MaskNet:
    """The network's forward pass on float32 numpy arrays.

    Lifecycle: built from (config, weights) once; ``masks`` is pure and may be
    called from any thread.
    """

    def __init__(self, config: MaskConfig, weights: Mapping[str, np.ndarray]) -> None:
        self.config = config
        try:
            self.w = {k: np.ascontiguousarray(weights[k], dtype=np.float32) for k in expected_shapes(config)}
        except KeyError as exc:
            raise MaskWeightsError(f"separator weights lack {exc.args[0]!r}") from None
        for key, shape in expected_shapes(config).items():
            if self.w[key].shape != shape:
                raise MaskWeightsError(f"separator weight {key} has shape {self.w[key].shape}, "
                                       f"its config needs {shape}")
        # Contiguous (in, out) matrices for the products below; a strided view is several times slower.
        self.mat = {k: np.ascontiguousarray(v.T) for k, v in self.w.items() if v.ndim == 2}
        self.taps = {k: [np.ascontiguousarray(v[:, :, t].T) for t in range(3)]
                     for k, v in self.w.items() if v.ndim == 3}

    def masks(self, logmag: np.ndarray) -> np.ndarray:
        """float32 (n_bands, frames) band log-magnitudes -> float32 (sources, n_bands, frames) masks
        summing to 1 over sources."""
        w, cfg = self.w, self.config
        x = logmag.T * w["in_scale"] + w["in_bias"]
        h = gelu(x @ self.mat["embed.weight"] + w["embed.bias"])
        for i, d in enumerate(cfg.dilations):
            h = h + self._block(h, i, d)
        h = layer_norm(h, w["out_norm.weight"], w["out_norm.bias"])
        logits = (h @ self.mat["head.weight"] + w["head.bias"]).reshape(len(h), cfg.sources, cfg.n_bands)
        logits -= logits.max(axis=1, keepdims=True)
        np.exp(logits, out=logits)
        logits /= logits.sum(axis=1, keepdims=True)
        return np.ascontiguousarray(logits.transpose(1, 2, 0))

    def _block(self, h: np.ndarray, i: int, d: int) -> np.ndarray:
        """Residual branch of block ``i``: norm, dilated kernel-3 conv over frames, GELU, 1x1 conv."""
        w, p = self.w, f"blocks.{i}."
        y = layer_norm(h, w[p + "norm.weight"], w[p + "norm.bias"])
        frames = len(y)
        padded = np.zeros((frames + 2 * d, y.shape[1]), dtype=np.float32)
        padded[d:d + frames] = y
        taps = self.taps[p + "conv.weight"]  # 3 x (in, out)
        z = padded[:frames] @ taps[0]
        z += padded[d:d + frames] @ taps[1]
        z += padded[2 * d:2 * d + frames] @ taps[2]
        z += w[p + "conv.bias"]
        return gelu(z) @ self.mat[p + "proj.weight"] + w[p + "proj.bias"]


def band_features(mag: np.ndarray, cfg: MaskConfig) -> np.ndarray:
    """float32 (bins, frames) magnitudes -> (n_bands, frames): log of each band's mean power, as a magnitude."""
    edges = np.asarray(cfg.band_edges)
    power = np.add.reduceat(mag * mag, edges[:-1], axis=0) / np.diff(edges)[:, None].astype(np.float32)
    return np.float32(0.5) * np.log(np.maximum(power, np.float32(cfg.log_floor) ** 2))


def expected_shapes(cfg: MaskConfig) -> dict[str, tuple[int, ...]]:
    """Every tensor the network needs, with its shape."""
    h, b = cfg.hidden, cfg.n_bands
    shapes: dict[str, tuple[int, ...]] = {"in_scale": (b,), "in_bias": (b,), "embed.weight": (h, b),
                                          "embed.bias": (h,)}
    for i in range(len(cfg.dilations)):
        p = f"blocks.{i}."
        shapes |= {p + "norm.weight": (h,), p + "norm.bias": (h,), p + "conv.weight": (h, h, 3),
                   p + "conv.bias": (h,), p + "proj.weight": (h, h), p + "proj.bias": (h,)}
    shapes |= {"out_norm.weight": (h,), "out_norm.bias": (h,),
               "head.weight": (cfg.sources * b, h), "head.bias": (cfg.sources * b,)}
    return shapes


def from_arrays(arrays: Mapping[str, np.ndarray], metadata: Mapping[str, str] | None) -> MaskNet:
    """A ``MaskNet`` from safetensors contents (numpy arrays + metadata with ``format`` and ``config``)."""
    meta = dict(metadata or {})
    if meta.get("format") != FORMAT or "config" not in meta:
        raise MaskWeightsError(f"not embedded-separator weights (format {meta.get('format')!r}, "
                               f"expected {FORMAT!r})")
    return MaskNet(MaskConfig.from_json(meta["config"]), arrays)


class MaskSeparator:
    """Separates audio of any rate and channel count with a ``MaskNet``.

    ``segment(x, gain)`` is an ``overlap_add.SegmentFn`` once ``gain`` is bound:
    the input is scaled by ``gain`` only to compute the masks.
    """

    def __init__(self, net: MaskNet, sample_rate: int) -> None:
        cfg = net.config
        self.net, self.sample_rate = net, sample_rate
        self.hop = cfg.hop_at(sample_rate)
        self.n_fft = 4 * self.hop
        self.mag_scale = np.float32(cfg.n_fft / self.n_fft)

    def segment(self, x: np.ndarray, gain: float = 1.0) -> np.ndarray:
        """float32 (channels, n) -> float32 (sources, channels, n) stems summing to ``x``."""
        spec = stft(x, self.n_fft, self.hop)  # (channels, bins_here, frames)
        masks = self._masks(np.abs(spec.mean(axis=0)) * np.float32(gain) * self.mag_scale)
        return masked_stems(x, spec, masks, self.n_fft, self.hop)

    def _masks(self, mag: np.ndarray) -> np.ndarray:
        """Magnitudes (bins_here, frames) -> masks (sources, bins_here, frames)."""
        cfg = self.net.config
        here = mag.shape[0]
        full = np.zeros((cfg.bins, mag.shape[1]), dtype=np.float32)
        full[: min(here, cfg.bins)] = mag[: cfg.bins]
        masks = np.repeat(self.net.masks(band_features(full, cfg)), np.diff(cfg.band_edges), axis=1)
        if here <= cfg.bins:
            return masks[:, :here]
        edge = np.repeat(masks[:, -1:], here - cfg.bins, axis=1)  # above the model's band: its top bin's mask
        return np.concatenate([masks, edge], axis=1)
