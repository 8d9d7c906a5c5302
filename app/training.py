"""A composer training job: where it starts from, where it writes, how it resumes, on one or many processes.

Lifecycle of ``TrainJob``: construct with pieces and a model folder (nothing
is read yet); ``run()`` picks the starting point — the folder's own
``checkpoint.safetensors`` (resume: weights, optimizer moments, step and the
best validation loss so far), else the composer in use (``app.models``:
fine-tune), else random weights with ``from_scratch`` — trains, and writes
``checkpoint.safetensors``, ``composer.safetensors`` (float16 weights with
their config; the last ones, or with ``keep="best"`` those of the best
validation loss) and ``log.jsonl`` into the folder at every checkpoint and at
the end. A cancelled run (cancel token, Ctrl-C, or ``max_seconds`` reached)
writes its checkpoint first.

Under ``torchrun`` (``app.distributed``) every process runs this same job on
its own batches and DDP keeps one model; only rank 0 validates and writes
files, so checkpoints and resuming are the same as for one process.
"""
from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from app import distributed
from app.errors import PartitaError
from engines.common import CancelToken, Cancelled, Progress, no_progress
from engines.compose.data import Piece, by_split

if TYPE_CHECKING:
    import torch

    from engines.compose.config import ModelConfig, TrainConfig
    from engines.compose.train import TrainResult

CHECKPOINT = "checkpoint.safetensors"
WEIGHTS = "composer.safetensors"
LOG = "log.jsonl"
CHECKPOINT_FORMAT = "partita.composer-checkpoint/1"


@dataclass(frozen=True)
class TrainOptions:
    """How to train. ``batch`` is per process (a torchrun world of N trains on N x batch per step).
    ``mix``: source -> weight (None: ``TrainConfig``'s). ``valid_sources``: sources validated on
    (None: all). ``keep``: "last" or "best" weights in ``composer.safetensors``. ``max_seconds``:
    stop (with a checkpoint) after this long; run again to resume."""

    steps: int = 1000
    device: str = "auto"
    batch: int = 32
    lr: float | None = None
    from_scratch: bool = False
    size: str = "full"
    seed: int = 0
    mix: dict[str, float] | None = None
    valid_sources: tuple[str, ...] | None = None
    keep: str = "last"
    max_seconds: float | None = None


class TrainJob:
    def __init__(self, pieces: list[Piece], folder: Path, options: TrainOptions | None = None) -> None:
        self.pieces, self.folder = pieces, Path(folder)
        self.options = options or TrainOptions()
        self.group = distributed.group_from_env()
        self.stopped_by_deadline = False
        self.last_result: TrainResult | None = None

    @property
    def weights_path(self) -> Path:
        return self.folder / WEIGHTS

    @property
    def leader(self) -> bool:
        return self.group is None or self.group.leader

    def describe(self) -> str:
        split = by_split(self.pieces)
        start = ("resuming " + str(self.folder / CHECKPOINT) if (self.folder / CHECKPOINT).exists()
                 else "from scratch" if self.options.from_scratch else "fine-tuning the composer in use")
        where = f" on {self.group.world} processes" if self.group else ""
        return (f"training on {len(split['train'])} pieces ({len(split['valid'])} held out for "
                f"validation){where}, {start}, up to step {self.options.steps}")

    def _start(self) -> tuple[ModelConfig, dict[str, torch.Tensor] | None, bool, float]:
        """(model config, state to load or None, whether it is a resumable checkpoint, best valid loss)."""
        from app import models
        from engines.compose.config import ModelConfig, tiny

        ckpt = self.folder / CHECKPOINT
        if ckpt.exists():
            tensors, meta = models.load_safetensors(ckpt)
            return ModelConfig.from_json(meta["config"]), tensors, True, float(meta.get("best_valid", "inf"))
        if self.options.from_scratch:
            return (tiny() if self.options.size == "tiny" else ModelConfig()), None, False, float("inf")
        tensors, meta = models.load_weights("composer")
        return ModelConfig.from_json(meta["config"]), tensors, False, float("inf")

    def _config(self, fresh: bool) -> TrainConfig:
        from engines.compose.config import TrainConfig

        o = self.options
        cfg = TrainConfig(steps=o.steps, batch=o.batch, seed=o.seed, lr=o.lr or (1e-3 if fresh else 3e-4),
                          warmup=max(1, min(200, o.steps // 10)), log_every=max(1, min(50, o.steps // 20)),
                          checkpoint_every=max(1, min(500, o.steps // 4)))
        return replace(cfg, weights=o.mix) if o.mix else cfg

    def run(self, *, progress: Progress = no_progress, cancel: CancelToken | None = None) -> TrainResult:
        """Train; returns the engine's ``TrainResult``. See the module docstring."""
        import torch

        from app.devices import describe, resolve_device
        from engines.compose.train import train

        device_name = resolve_device(self.options.device)
        device = distributed.start(self.group, device_name) if self.group else torch.device(device_name)
        if self.leader:
            progress(0.0, f"on {describe(device_name)}")
        model_cfg, state, resume, best = self._start()
        cfg = self._config(state is None)
        split = by_split(self.pieces)
        valid = [p for p in split["valid"] if not self.options.valid_sources
                 or p.source.split(":")[0] in self.options.valid_sources]
        token = self._cancel_token(cancel, device)
        log = _JsonLog(self.folder / LOG) if self.leader else None
        finished = False
        try:
            result = train(split["train"] or self.pieces, valid if self.leader else [], model_cfg, cfg,
                         device=device, state=state, resume=resume,
                         on_checkpoint=self._saver(model_cfg, best, log), log=log.write if log else None,
                         progress=progress if self.leader else no_progress, cancel=token,
                         wrap=distributed.wrap if self.group else None,
                         stream=self.group.rank if self.group else 0)
            finished = True
            return result
        except Cancelled:
            finished = True  # every rank agreed to stop at this step (SharedCancel)
            if self.stopped_by_deadline and self.last_result is not None:
                return self.last_result
            raise PartitaError(f"training stopped; its checkpoint is in {self.folder}, run again to resume") from None
        finally:
            if log:
                log.close()
            if self.group:
                distributed.stop(together=finished)

    def _cancel_token(self, cancel: CancelToken | None, device: torch.device) -> CancelToken:
        """Ctrl-C and the deadline set the local token; under torchrun all ranks agree on it."""
        local = cancel or _interrupt_token()
        if self.options.max_seconds is not None:
            def deadline() -> None:
                self.stopped_by_deadline = True
                local.cancel()

            timer = threading.Timer(self.options.max_seconds, deadline)
            timer.daemon = True
            timer.start()
        return distributed.SharedCancel(local, device) if self.group else local

    def _saver(self, model_cfg: ModelConfig, best: float, log: _JsonLog | None,
               ) -> Callable[[dict[str, torch.Tensor], TrainResult], None]:
        from safetensors.torch import save_file

        from engines.compose.model import Composer
        from engines.compose.weights import conditioned_info, to_tensors

        best_valid = [best]

        def on_checkpoint(state: dict[str, torch.Tensor], result: TrainResult) -> None:
            self.last_result = result
            agree = self._replicas_agree(state, result.step)
            if log is None:
                return
            better = result.valid_loss is not None and result.valid_loss < best_valid[0]
            best_valid[0] = min(best_valid[0], result.valid_loss if result.valid_loss is not None else best_valid[0])
            meta = {"format": CHECKPOINT_FORMAT, "config": model_cfg.to_json(), "best_valid": str(best_valid[0])}
            _atomic(lambda p: save_file(state, p, metadata=meta), self.folder / CHECKPOINT)
            if better or self.options.keep == "last" or not self.weights_path.exists():
                model = Composer(model_cfg)
                model.load_state_dict({k[6:]: v for k, v in state.items() if k.startswith("model.")})
                info = {"step": str(result.step), "valid_loss": f"{result.valid_loss or float('nan'):.4f}",
                        **conditioned_info(model_cfg)}
                tensors, wmeta = to_tensors(model, info=info)
                _atomic(lambda p: save_file(tensors, p, metadata=wmeta), self.weights_path)
            log.write({"step": result.step, "checkpoint": CHECKPOINT, "best_valid": best_valid[0],
                       "processes": self.group.world if self.group else 1, "replicas_agree": agree})

        return on_checkpoint

    def _replicas_agree(self, state: dict[str, torch.Tensor], step: int) -> bool:
        """Under torchrun: every rank's weights hash the same (a collective); PartitaError if not."""
        if self.group is None:
            return True
        digests = distributed.gather_digests(distributed.weights_digest(state))
        if len(set(digests)) != 1:
            raise PartitaError(f"the {self.group.world} training processes hold different weights at step {step}; "
                               "they are not training one model (check that every process runs the same command)")
        return True


class _JsonLog:
    """``log.jsonl``, appended one JSON object a line, flushed each time."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fh = open(path, "a", encoding="utf-8")

    def write(self, record: dict[str, Any]) -> None:
        self.fh.write(json.dumps(record) + "\n")
        self.fh.flush()

    def close(self) -> None:
        self.fh.close()


def _atomic(write: Callable[[str], object], path: Path) -> None:
    tmp = path.with_name(path.name + ".part")
    write(str(tmp))
    os.replace(tmp, path)


def _interrupt_token() -> CancelToken:
    """A token that Ctrl-C sets (in the main thread), so the run checkpoints before stopping."""
    import signal

    token = CancelToken()
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, lambda *_: token.cancel())
        signal.signal(signal.SIGTERM, lambda *_: token.cancel())  # torchrun stops workers with SIGTERM
    return token
