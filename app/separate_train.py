"""Training the embedded separator from rendered excerpts (``app.separate_data``), resumably.

    python -m app.separate_train --data DIR --valid DIR --out RUN_DIR [--steps N] [--hidden H]

Every ``--save-every`` steps the run writes ``RUN_DIR/ckpt.pt`` (model,
optimiser, step, random state: a plain dict of tensors and numbers) and
appends to ``RUN_DIR/log.jsonl``; every ``--eval-every`` steps it measures
the validation SDR per stem and exports ``RUN_DIR/separator.safetensors``
(float16) when the mean beats the best so far. Started again, it resumes.
"""
from __future__ import annotations

import argparse
import json
import time
from dataclasses import asdict, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from engines.separate import SOURCES
from engines.separate.mask_config import MaskConfig

if TYPE_CHECKING:
    from engines.separate.mask_torch import MaskModule
    from engines.separate.mask_train import TrainConfig


class FlacCrops:
    """Random crops of 4-channel FLAC excerpts (one mono stem per channel) in ``folders``, read on demand."""

    def __init__(self, folders: list[Path]) -> None:
        self.folders = folders
        self.files: list[Path] = []
        self.frames: list[int] = []
        self.refresh()
        if not self.files:
            raise SystemExit(f"no .flac excerpts in {', '.join(map(str, folders))}")

    def refresh(self) -> None:
        """Take in excerpts written since (the data can still be rendering while training starts)."""
        import soundfile as sf

        known = set(self.files)
        for folder in self.folders:
            for path in sorted(folder.glob("*.flac")):
                if path in known:
                    continue
                try:
                    frames = sf.info(str(path)).frames
                except RuntimeError:  # being written right now
                    break
                self.files.append(path)
                self.frames.append(frames)

    def __call__(self, rng: np.random.Generator, n: int) -> np.ndarray:
        import soundfile as sf

        i = int(rng.integers(len(self.files)))
        start = int(rng.integers(0, max(1, self.frames[i] - n)))
        data, _ = sf.read(str(self.files[i]), start=start, frames=n, dtype="float32", always_2d=True)
        out = np.zeros((len(SOURCES), n), dtype=np.float32)
        out[:, : len(data)] = data.T
        return out

    def whole(self, limit: int) -> list[np.ndarray]:
        import soundfile as sf

        return [sf.read(str(f), dtype="float32", always_2d=True)[0].T.copy() for f in self.files[:limit]]


def evaluate(model: "MaskModule", items: list[np.ndarray], tcfg: "TrainConfig") -> np.ndarray:
    """Mean SDR per stem (dB, (4,)) of the masked stems over whole validation excerpts (at -20 dBFS)."""
    import torch

    from engines.separate.mask_train import sdr_loss

    model.eval()
    sdrs = []
    with torch.no_grad():
        for stems in items:
            rms = float(np.sqrt(np.mean(stems.sum(axis=0) ** 2)))
            x = torch.from_numpy(stems * np.float32(0.1 / max(rms, 1e-6)))[None]
            sdrs.append(sdr_loss(model, x, tcfg)[1].numpy())
    return np.mean(sdrs, axis=0)


def main() -> None:  # noqa: C901 - one linear script
    import torch
    from safetensors.torch import save_file

    from engines.separate.mask_torch import MaskModule, to_tensors
    from engines.separate.mask_train import TrainConfig, input_stats, make_batch, optimizer, train_step

    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--data", required=True, help="folders of training excerpts, comma-separated")
    p.add_argument("--valid", type=Path, required=True)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--steps", type=int, default=TrainConfig.steps)
    p.add_argument("--batch", type=int, default=TrainConfig.batch)
    p.add_argument("--crop", type=float, default=TrainConfig.crop_s, help="seconds per training item")
    p.add_argument("--hidden", type=int, default=MaskConfig.hidden)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--save-every", type=int, default=50)
    p.add_argument("--eval-every", type=int, default=250)
    p.add_argument("--valid-items", type=int, default=24)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    args.out.mkdir(parents=True, exist_ok=True)
    tcfg = TrainConfig(steps=args.steps, batch=args.batch, crop_s=args.crop)
    mcfg = replace(MaskConfig(), hidden=args.hidden)
    crops = FlacCrops([Path(f) for f in args.data.split(",")])
    valid = FlacCrops([args.valid]).whole(args.valid_items)
    model = MaskModule(mcfg)
    opt = optimizer(model, tcfg)
    ckpt, step, best, rng = args.out / "ckpt.pt", 0, -1e9, np.random.default_rng(0)
    if ckpt.exists():
        state = torch.load(ckpt, weights_only=True)
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["opt"])
        step, best = int(state["step"]), float(state["best"])
        rng.bit_generator.state = json.loads(state["rng"])
    else:
        mean, std = input_stats(crops, tcfg, mcfg, rng)
        model.set_input_stats(mean, std)
    log = open(args.out / "log.jsonl", "a")
    t0 = time.monotonic()
    while step < tcfg.steps:
        if step % 100 == 0:
            crops.refresh()
        loss, sdr = train_step(model, opt, make_batch(crops, tcfg, mcfg, rng), tcfg, step)
        step += 1
        record = {"step": step, "loss": round(loss, 3), "sdr": [round(float(v), 2) for v in sdr],
                  "s": round(time.monotonic() - t0, 1), "files": len(crops.files)}
        if step % args.eval_every == 0 or step == tcfg.steps:
            vs = evaluate(model, valid, tcfg)
            record["valid"] = [round(float(v), 2) for v in vs]
            if vs.mean() > best:
                best = float(vs.mean())
                tensors, meta = to_tensors(model, info={"steps": str(step), "valid_sdr": json.dumps(record["valid"]),
                                                         "train": json.dumps(asdict(tcfg))})
                save_file(tensors, str(args.out / "separator.safetensors"), metadata=meta)
        log.write(json.dumps(record) + "\n")
        log.flush()
        if step % args.save_every == 0 or step == tcfg.steps:
            tmp = ckpt.with_suffix(".tmp")
            torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "step": step, "best": best,
                        "rng": json.dumps(rng.bit_generator.state)}, tmp)
            tmp.replace(ckpt)


if __name__ == "__main__":
    main()
