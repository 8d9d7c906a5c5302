"""The drum classifier's weights: fitting it (torch, CPU, seconds) and its safetensors layout.

Metadata holds ``format`` ("partita.drums/1"), the class names and the
feature layout it was fitted on; loading checks both, so a classifier made for
other features is refused with ``DrumWeightsError`` instead of guessing.
"""
from __future__ import annotations

import json

import numpy as np

from engines.transcribe.drums import DRUM_CLASSES, FEATURE_FRAMES, N_FEATURES, N_MELS, DrumModel

FORMAT = "partita.drums/1"
TENSORS = ("mean", "scale", "w1", "b1", "w2", "b2")


class DrumWeightsError(ValueError):
    """Tensors or metadata that do not make this version's drum classifier."""


def layout() -> str:
    """The feature layout as JSON (classes, mel bands, frames), stored with the weights."""
    return json.dumps({"classes": list(DRUM_CLASSES), "n_mels": N_MELS, "frames": list(FEATURE_FRAMES)})


def to_arrays(model: DrumModel, info: dict[str, str] | None = None) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    """(arrays, metadata) for ``safetensors.numpy.save_file``."""
    arrays = {name: np.ascontiguousarray(getattr(model, name), dtype=np.float32) for name in TENSORS}
    return arrays, {"format": FORMAT, "layout": layout(), **(info or {})}


def from_arrays(arrays: dict[str, np.ndarray], metadata: dict[str, str] | None) -> DrumModel:
    """A ``DrumModel`` from what ``to_arrays`` wrote; ``DrumWeightsError`` when it does not fit."""
    meta = metadata or {}
    if meta.get("format") != FORMAT:
        raise DrumWeightsError(f"not drum classifier weights (format {meta.get('format')!r}, expected {FORMAT!r})")
    if meta.get("layout") != layout():
        raise DrumWeightsError("drum classifier made for other features; refit it with this version")
    missing = [name for name in TENSORS if name not in arrays]
    if missing:
        raise DrumWeightsError(f"drum classifier lacks {', '.join(missing)}")
    model = DrumModel(**{name: np.asarray(arrays[name], dtype=np.float32) for name in TENSORS})
    hidden = model.w1.shape[1] if model.w1.ndim == 2 else -1
    shapes_ok = (model.mean.shape == model.scale.shape == (N_FEATURES,) and model.w1.shape == (N_FEATURES, hidden)
                 and model.b1.shape == (hidden,) and model.w2.shape == (hidden, len(DRUM_CLASSES))
                 and model.b2.shape == (len(DRUM_CLASSES),))
    if not shapes_ok:
        raise DrumWeightsError("drum classifier tensors have the wrong shapes")
    return model


def fit(features: np.ndarray, labels: np.ndarray, *, hidden: int = 64, epochs: int = 300,
        weight_decay: float = 1e-3, seed: int = 0) -> DrumModel:
    """Fit the classifier: Adam on binary cross-entropy, full batch, on the CPU.

    features: float32 (n_hits, N_FEATURES) from ``drums.hit_features``; labels: float32
    (n_hits, len(DRUM_CLASSES)) in {0, 1} from ``drums.hit_labels``. Deterministic for a seed.
    """
    import torch

    gen = torch.Generator().manual_seed(seed)
    mean = features.mean(axis=0)
    scale = features.std(axis=0) + 1e-3
    x = torch.from_numpy(((features - mean) / scale).astype(np.float32))
    y = torch.from_numpy(labels.astype(np.float32))
    first, last = torch.nn.Linear(x.shape[1], hidden), torch.nn.Linear(hidden, y.shape[1])
    net = torch.nn.Sequential(first, torch.nn.ReLU(), last)
    with torch.no_grad():
        for layer in (first, last):
            bound = 1.0 / float(np.sqrt(layer.in_features))
            layer.weight.uniform_(-bound, bound, generator=gen)
            layer.bias.zero_()
    opt = torch.optim.Adam(net.parameters(), lr=3e-3, weight_decay=weight_decay)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    for _ in range(epochs):
        opt.zero_grad()
        loss = loss_fn(net(x), y)
        loss.backward()
        opt.step()
    return DrumModel(mean=mean.astype(np.float32), scale=scale.astype(np.float32),
                     w1=first.weight.detach().numpy().T.copy(), b1=first.bias.detach().numpy().copy(),
                     w2=last.weight.detach().numpy().T.copy(), b2=last.bias.detach().numpy().copy())
