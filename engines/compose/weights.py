"""Composer weights as plain tensors plus string metadata (the safetensors layout).

The metadata holds ``format`` ("partita.composer/1") and ``config`` (the
``ModelConfig`` as JSON); the model class is built from the config, then the
tensors are loaded into it: nothing is ever unpickled. ``trained_conditions``
(optional) names the controls and attributes the weights were trained on,
comma-separated (``conditioned_info``); weights without it were trained on
neither (their control and attribute inputs are untrained), and the loaded
model says so in ``Composer.trained_conditions``.
"""
from __future__ import annotations

import torch

from engines.compose.config import ModelConfig
from engines.compose.model import Composer

FORMAT = "partita.composer/1"
TRAINED_CONDITIONS = "trained_conditions"
"""Metadata key: the controls and attributes the weights were trained on, comma-separated."""


class WeightsError(ValueError):
    """Tensors or metadata that do not make a composer model."""


def to_tensors(model: Composer, *, half: bool = True, info: dict[str, str] | None = None,
               ) -> tuple[dict[str, torch.Tensor], dict[str, str]]:
    """(tensors, metadata) for ``safetensors.torch.save_file``; ``half`` stores float16."""
    dtype = torch.float16 if half else torch.float32
    tensors = {k: v.detach().to("cpu", dtype).contiguous() for k, v in model.state_dict().items()}
    meta = {"format": FORMAT, "config": model.cfg.to_json(), **(info or {})}
    return tensors, meta


def conditioned_info(cfg: ModelConfig) -> dict[str, str]:
    """Metadata for weights trained with every control and attribute of ``cfg`` (``batches`` shows them all)."""
    return {TRAINED_CONDITIONS: ",".join([*cfg.controls, *(name for name, _ in cfg.attributes)])}


def fit_state(weights: dict[str, torch.Tensor], model: Composer) -> dict[str, torch.Tensor]:
    """Weights of an older config made to fit ``model`` (a fine-tune from the shipped file).

    Tensors of the same shape are kept; a table that grew (an attribute with
    more classes) keeps its rows and gets zero rows; a tensor the weights
    lack (a new attribute) is zero, so the grown model computes exactly what
    the old one did until training moves the new entries. WeightsError when
    a tensor shrank or changed width.
    """
    out = {}
    for name, target in model.state_dict().items():
        old = weights.get(name)
        if old is None:
            out[name] = torch.zeros_like(target)
        elif old.shape == target.shape:
            out[name] = old.to(target.dtype)
        elif old.dim() == target.dim() and old.shape[1:] == target.shape[1:] and old.shape[0] < target.shape[0]:
            grown = torch.zeros_like(target)
            grown[: old.shape[0]] = old
            out[name] = grown
        else:
            raise WeightsError(f"{name}: {tuple(old.shape)} cannot become {tuple(target.shape)}")
    return out


def from_tensors(tensors: dict[str, torch.Tensor], metadata: dict[str, str] | None) -> Composer:
    """A float32 ``Composer`` in eval mode from what ``to_tensors`` wrote."""
    meta = metadata or {}
    if meta.get("format") != FORMAT or "config" not in meta:
        raise WeightsError(f"not composer weights (format {meta.get('format')!r}, expected {FORMAT!r})")
    model = Composer(ModelConfig.from_json(meta["config"]))
    weights = {k[6:] if k.startswith("model.") else k: v.float() for k, v in tensors.items() if k != "step"}
    weights = {k: v for k, v in weights.items() if not k.startswith("opt.")}
    try:
        model.load_state_dict(weights)
    except RuntimeError as exc:
        raise WeightsError(f"weights do not fit their config: {str(exc).splitlines()[0]}") from None
    trained = meta.get(TRAINED_CONDITIONS, "")
    model.trained_conditions = tuple(name for name in trained.split(",") if name)
    return model.eval()
