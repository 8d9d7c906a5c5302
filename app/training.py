"""A composer training job: where it starts from, where it writes, how it resumes.

Lifecycle of ``TrainJob``: construct with pieces and a model folder (nothing
is read yet); ``run()`` picks the starting point — the folder's own
``checkpoint.safetensors`` (resume: weights, optimizer moments and step),
else the installed composer (fine-tune), else random weights with
``from_scratch`` — trains, and writes ``checkpoint.safetensors``,
``composer.safetensors`` (float16 weights with their config) and
``log.jsonl`` into the folder at every checkpoint and at the end. A
cancelled run (cancel token or Ctrl-C) writes its checkpoint first.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from app.errors import PartitaError
from engines.common import CancelToken, Cancelled, Progress, no_progress
from engines.compose.data import Piece, by_split

if TYPE_CHECKING:
    import torch

    from engines.compose.config import ModelConfig
    from engines.compose.train import TrainResult

CHECKPOINT = "checkpoint.safetensors"
WEIGHTS = "composer.safetensors"


class TrainJob:
    def __init__(self, pieces: list[Piece], folder: Path, *, steps: int = 1000, device: str = "auto",
                 batch: int = 32, lr: float | None = None, from_scratch: bool = False, size: str = "full",
                 seed: int = 0) -> None:
        self.pieces, self.folder = pieces, Path(folder)
        self.steps, self.device_name, self.batch, self.lr = steps, device, batch, lr
        self.from_scratch, self.size, self.seed = from_scratch, size, seed

    @property
    def weights_path(self) -> Path:
        return self.folder / WEIGHTS

    def describe(self) -> str:
        split = by_split(self.pieces)
        start = ("resuming " + str(self.folder / CHECKPOINT) if (self.folder / CHECKPOINT).exists()
                 else "from scratch" if self.from_scratch else "fine-tuning the installed composer")
        return (f"training on {len(split['train'])} pieces ({len(split['valid'])} held out for "
                f"validation), {start}, up to step {self.steps}")

    def _start(self) -> tuple[ModelConfig, dict[str, torch.Tensor] | None, bool]:
        """(model config, state to load or None, whether the state is a resumable checkpoint)."""
        from app import models
        from engines.compose.config import ModelConfig, tiny

        ckpt = self.folder / CHECKPOINT
        if ckpt.exists():
            tensors, meta = models.load_safetensors(ckpt)
            return ModelConfig.from_json(meta["config"]), tensors, True
        if self.from_scratch:
            return (tiny() if self.size == "tiny" else ModelConfig()), None, False
        tensors, meta = models.load_safetensors(models.resolve("composer"))
        return ModelConfig.from_json(meta["config"]), tensors, False

    def run(self, *, progress: Progress = no_progress, cancel: CancelToken | None = None) -> TrainResult:
        """Train; returns the engine's ``TrainResult``. See the class lifecycle."""
        import torch

        from app.devices import resolve_device
        from engines.compose.config import TrainConfig
        from engines.compose.train import train

        device = torch.device(resolve_device(self.device_name))
        model_cfg, state, resume = self._start()
        fresh = state is None
        cfg = TrainConfig(steps=self.steps, batch=self.batch, seed=self.seed,
                          lr=self.lr or (1e-3 if fresh else 3e-4), warmup=max(1, min(200, self.steps // 10)),
                          log_every=max(1, min(50, self.steps // 20)),
                          checkpoint_every=max(1, min(500, self.steps // 4)))
        split = by_split(self.pieces)
        train_pieces = split["train"] or self.pieces
        log = open(self.folder / "log.jsonl", "a")

        def write_log(record: dict[str, Any]) -> None:
            log.write(json.dumps(record) + "\n")
            log.flush()

        try:
            return train(train_pieces, split["valid"], model_cfg, cfg, device=device, state=state,
                         resume=resume, on_checkpoint=self._save(model_cfg), log=write_log,
                         progress=progress, cancel=cancel or _interrupt_token())
        except Cancelled:
            raise PartitaError(f"training stopped; its checkpoint is in {self.folder}, run again to resume") from None
        finally:
            log.close()

    def _save(self, model_cfg: ModelConfig) -> Callable[[dict[str, torch.Tensor], TrainResult], None]:
        from safetensors.torch import save_file

        from engines.compose.model import Composer
        from engines.compose.weights import to_tensors

        def on_checkpoint(state: dict[str, torch.Tensor], result: TrainResult) -> None:
            meta = {"format": "partita.composer-checkpoint/1", "config": model_cfg.to_json()}
            _atomic(lambda p: save_file(state, p, metadata=meta), self.folder / CHECKPOINT)
            model = Composer(model_cfg)
            model.load_state_dict({k[6:]: v for k, v in state.items() if k.startswith("model.")})
            tensors, wmeta = to_tensors(model, info={"step": str(result.step)})
            _atomic(lambda p: save_file(tensors, p, metadata=wmeta), self.weights_path)

        return on_checkpoint


def _atomic(write: Callable[[str], object], path: Path) -> None:
    tmp = path.with_name(path.name + ".part")
    write(str(tmp))
    os.replace(tmp, path)


def _interrupt_token() -> CancelToken:
    """A token that Ctrl-C sets (in the main thread), so the run checkpoints before stopping."""
    import signal
    import threading

    token = CancelToken()
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, lambda *_: token.cancel())
    return token
