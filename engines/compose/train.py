"""Resumable training of the composer.

Lifecycle of ``train``: build (or take) a model, restore optimizer state and
step from ``state`` when given, then step until ``cfg.steps``, calling
``on_checkpoint`` every ``cfg.checkpoint_every`` steps and at the end with
the full training state (weights, optimizer moments, step) as plain tensors,
so the caller can write it where it wants and pass it back to resume.
Progress is reported per logged step; the cancel token is checked every step
(a cancelled run still hands its last state to ``on_checkpoint``).
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Callable

import torch
import torch.nn.functional as F

from engines.common import CancelToken, Cancelled, Progress, no_progress
from engines.compose.batches import Batcher
from engines.compose.config import ONSET_UNKNOWN, ModelConfig, TrainConfig
from engines.compose.grid import REST
from engines.compose.data import Piece
from engines.compose.model import Composer, ModelInput

Log = Callable[[dict], None]
STREAM_SEEDS = 1_000_003
"""Seed distance between batch streams (ranks): larger than any run's step count."""


@dataclass(frozen=True)
class TrainResult:
    """What a training run reached: ``step``, last training loss and validation loss (nats per cell)."""

    step: int
    train_loss: float
    valid_loss: float | None
    seconds: float


def masked_loss(model: Composer, inp: ModelInput, pitch: torch.Tensor, onset: torch.Tensor,
                mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """(pitch NLL, onset NLL) in nats, averaged over masked cells; onsets only on sounding cells."""
    logits, onset_logits = model(inp)
    n = mask.sum().clamp(min=1)
    nll = F.cross_entropy(logits.flatten(0, 2).float(), pitch.flatten(), reduction="none").view_as(mask)
    pitch_loss = (nll * mask).sum() / n
    on_mask = mask & (pitch != REST) & (inp.onset == ONSET_UNKNOWN)
    bce = F.binary_cross_entropy_with_logits(onset_logits.float(), onset, reduction="none")
    return pitch_loss, (bce * on_mask).sum() / n


def lr_at(step: int, cfg: TrainConfig) -> float:
    """Linear warm-up, then cosine down to 10% of ``cfg.lr`` at ``cfg.steps``."""
    if step < cfg.warmup:
        return cfg.lr * (step + 1) / cfg.warmup
    frac = min(1.0, (step - cfg.warmup) / max(1, cfg.steps - cfg.warmup))
    return cfg.lr * (0.1 + 0.45 * (1 + math.cos(math.pi * frac)))


def optimizer(model: Composer, cfg: TrainConfig) -> torch.optim.AdamW:
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2 and "emb" not in n]
    rest = [p for n, p in model.named_parameters() if not (p.dim() >= 2 and "emb" not in n)]
    return torch.optim.AdamW([{"params": decay, "weight_decay": cfg.weight_decay},
                              {"params": rest, "weight_decay": 0.0}], lr=cfg.lr, betas=(0.9, 0.98))


def export_state(model: Composer, opt: torch.optim.Optimizer, step: int) -> dict[str, torch.Tensor]:
    """Weights as "model.*", optimizer moments as "opt.N.*", the step as "step": CPU tensors."""
    out = {f"model.{k}": v.detach().cpu().contiguous() for k, v in model.state_dict().items()}
    for i, st in opt.state_dict()["state"].items():
        for name, value in st.items():
            out[f"opt.{i}.{name}"] = torch.as_tensor(value).detach().cpu().contiguous()
    out["step"] = torch.tensor([step], dtype=torch.int64)
    return out


def import_state(state: dict[str, torch.Tensor], model: Composer, opt: torch.optim.Optimizer | None,
                 ) -> tuple[int, bool]:
    """Load what ``export_state`` wrote (or bare weights, any float dtype).

    Returns (step to resume from, whether optimizer moments were restored);
    the step is 0 when ``opt`` is None (a fresh run from these weights).
    """
    from engines.compose.weights import fit_state

    weights = {k[6:]: v for k, v in state.items() if k.startswith("model.")}
    weights = weights or {k: v for k, v in state.items() if not k.startswith("opt.") and k != "step"}
    weights = {k: v.float() for k, v in weights.items()}
    model.load_state_dict(weights if opt is not None and any(k.startswith("opt.") for k in state)
                          else fit_state(weights, model))
    step = int(state["step"][0]) if "step" in state and opt is not None else 0
    moments = [k for k in state if k.startswith("opt.")]
    if opt is None or not moments:
        return step, False
    sd = opt.state_dict()
    for key in moments:
        _, i, name = key.split(".", 2)
        sd["state"].setdefault(int(i), {})[name] = state[key]
    opt.load_state_dict(sd)
    return step, True


@torch.no_grad()
def evaluate(model: Composer, batches: list[tuple]) -> float:
    """Mean pitch + onset NLL (nats per masked cell) over fixed batches."""
    model.eval()
    total = 0.0
    for inp, pitch, onset, mask in batches:
        p, o = masked_loss(model, inp, pitch, onset, mask)
        total += float(p + o)
    model.train()
    return total / max(1, len(batches))


def train(pieces: list[Piece], valid: list[Piece], model_cfg: ModelConfig, cfg: TrainConfig, *,
          device: torch.device, state: dict[str, torch.Tensor] | None = None, resume: bool = True,
          on_checkpoint: Callable[[dict[str, torch.Tensor], TrainResult], None] | None = None,
          log: Log | None = None, progress: Progress = no_progress,
          cancel: CancelToken | None = None, wrap: Callable[[Composer], torch.nn.Module] | None = None,
          stream: int = 0) -> TrainResult:
    """Train on ``pieces`` and report validation loss on ``valid`` (see module doc).

    ``state``: weights to start from; with ``resume`` its optimizer moments
    and step too (a fine-tune from shipped weights passes ``resume=False``).
    ``wrap``: runs the forward/backward through a wrapper of the model (e.g.
    ``DistributedDataParallel``); checkpoints still read the bare model.
    ``stream``: which batch stream to draw (a distributed rank), so that
    processes training one model see different batches.
    """
    torch.manual_seed(cfg.seed)
    if device.type == "cuda":
        # cuDNN's attention rebuilds a graph for every new batch shape (slow) and
        # fails on some; the memory-efficient kernels handle our masks well.
        torch.backends.cuda.enable_cudnn_sdp(False)
    model = Composer(model_cfg).to(device)
    net = wrap(model) if wrap else model
    opt = optimizer(model, cfg)
    step, moments = import_state(state, model, opt if resume else None) if state is not None else (0, True)
    first = step if not moments else None  # fresh optimizer on trained weights: warm up again
    batcher = Batcher(pieces, cfg, model_cfg, device=device, seed=cfg.seed + step + STREAM_SEEDS * stream)
    valid_batches = _valid_batches(valid, cfg, device, model_cfg)
    start, n_loss, result = time.perf_counter(), 0, TrainResult(step, math.nan, None, 0.0)
    loss_sum = torch.zeros((), device=device)
    use_amp = device.type == "cuda"
    try:
        while step < cfg.steps:
            if cancel:
                cancel.check()
            rewarm = 1.0 if first is None else min(1.0, (step - first + 1) / cfg.warmup)
            for group in opt.param_groups:
                group["lr"] = lr_at(step, cfg) * rewarm
            with torch.autocast(device.type, dtype=torch.bfloat16, enabled=use_amp):
                p_loss, o_loss = masked_loss(net, *batcher.batch())  # type: ignore[arg-type]
            opt.zero_grad(set_to_none=True)
            (p_loss + o_loss).backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), cfg.grad_clip)
            opt.step()
            step += 1
            loss_sum, n_loss = loss_sum + (p_loss + o_loss).detach(), n_loss + 1
            if step % cfg.log_every == 0 or step == cfg.steps:
                mean = float(loss_sum) / n_loss
                result = TrainResult(step, mean, result.valid_loss, time.perf_counter() - start)
                loss_sum.zero_()
                n_loss = 0
                if step % cfg.checkpoint_every == 0 or step == cfg.steps:
                    result = _checkpoint(model, opt, step, result, valid_batches, on_checkpoint)
                if log:
                    log({"step": step, "loss": result.train_loss, "valid": result.valid_loss,
                         "lr": lr_at(step, cfg), "seconds": round(result.seconds, 1)})
                progress(step / cfg.steps, f"step {step}/{cfg.steps} loss {result.train_loss:.3f}")
    except Cancelled:
        _checkpoint(model, opt, step, result, [], on_checkpoint)
        raise
    return result


def _checkpoint(model: Composer, opt: torch.optim.Optimizer, step: int, result: TrainResult,
                valid_batches: list[tuple], on_checkpoint: Callable | None) -> TrainResult:
    valid = evaluate(model, valid_batches) if valid_batches else result.valid_loss
    result = TrainResult(step, result.train_loss, valid, result.seconds)
    if on_checkpoint:
        on_checkpoint(export_state(model, opt, step), result)
    return result


def _valid_batches(valid: list[Piece], cfg: TrainConfig, device: torch.device, model_cfg: ModelConfig,
                   n: int = 8) -> list[tuple]:
    """Fixed masked batches of validation pieces (same masks every time)."""
    if not valid:
        return []
    batcher = Batcher(valid, cfg, model_cfg, device=device, seed=12345)
    return [batcher.batch() for _ in range(n)]
