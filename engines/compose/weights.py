"""Composer weights as plain tensors plus string metadata (the safetensors layout).

The metadata holds ``format`` ("partita.composer/1") and ``config`` (the
``ModelConfig`` as JSON); the model class is built from the config, then the
tensors are loaded into it: nothing is ever unpickled.
"""
from __future__ import annotations

import torch

from engines.compose.config import ModelConfig
from engines.compose.model import Composer

FORMAT = "partita.composer/1"


class WeightsError(ValueError):
    """Tensors or metadata that do not make a composer model."""


def to_tensors(model: Composer, *, half: bool = True, info: dict[str, str] | None = None,
               ) -> tuple[dict[str, torch.Tensor], dict[str, str]]:
    """(tensors, metadata) for ``safetensors.torch.save_file``; ``half`` stores float16."""
    dtype = torch.float16 if half else torch.float32
    tensors = {k: v.detach().to("cpu", dtype).contiguous() for k, v in model.state_dict().items()}
    meta = {"format": FORMAT, "config": model.cfg.to_json(), **(info or {})}
    return tensors, meta


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
    return model.eval()
