"""Fine-tune the composer on the CPU from packed ``.npz`` pieces, resumably, in the background.

This is the script that made the shipped band-and-controls weights from the
chorale/folk weights before them: it grows the old config to the current one
(``weights.fit_state``: new attribute rows and tables zero; with
``--fresh-controls`` the control projection zeroed too, for weights that
never saw a control), trains with
the data mix of ``--weights``, writes ``checkpoint.safetensors`` (weights,
optimizer moments, step), ``composer.safetensors`` (float16 weights) and
``log.jsonl`` into ``--out`` at every checkpoint, and resumes from the
checkpoint when it finds one (so a killed run loses at most one interval).

    nohup nice -n 10 python3 -m engines.compose.cpu_run --data DIR --init composer.safetensors \\
        --fresh-controls --out OUT --steps 1200 --batch 8 --window 128 --threads 1 --lr 5e-4 &

``--measure N`` times N steps and prints steps per second instead of training.
"""
from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import numpy as np
import torch

from engines.compose.config import ModelConfig, TrainConfig
from engines.compose.data import Piece, by_split, unpack

FINE_TUNE_MIX = "bach=2,palestrina=0.5,monteverdi=0.25,quartets=1,essen=1,oneills=0.5,accomp=1.5,band=6"


def load(data: Path) -> list[Piece]:
    """Every piece of every ``*.npz`` in ``data``."""
    pieces: list[Piece] = []
    for f in sorted(data.glob("*.npz")):
        with np.load(f, allow_pickle=False) as z:
            pieces += unpack({k: z[k] for k in z.files})
    return pieces


def _atomic_save(tensors: dict, path: Path, meta: dict[str, str]) -> None:
    from safetensors.torch import save_file

    tmp = path.with_name(path.name + ".part")
    save_file(tensors, str(tmp), metadata=meta)
    os.replace(tmp, path)


def start_state(out: Path, init: Path | None, *, fresh_controls: bool) -> tuple[dict | None, bool]:
    """(state, resume): the run's own checkpoint when there is one, else ``init``'s weights, with
    the control projection zeroed when ``fresh_controls`` (weights that never saw a control)."""
    from safetensors.torch import load_file

    ckpt = out / "checkpoint.safetensors"
    if ckpt.exists():
        return load_file(str(ckpt)), True
    if init is None:
        return None, False
    state = load_file(str(init))
    if fresh_controls:
        state["controls.weight"] = torch.zeros_like(state["controls.weight"])
    return state, False


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--init", type=Path)
    ap.add_argument("--steps", type=int, default=3000)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--window", type=int, default=256)
    ap.add_argument("--lr", type=float, default=3e-4)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--weights", default=FINE_TUNE_MIX)
    ap.add_argument("--checkpoint-every", type=int, default=100)
    ap.add_argument("--measure", type=int, default=0)
    ap.add_argument("--fresh-controls", action="store_true",
                    help="zero the control projection of --init (weights trained without controls)")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    t0 = time.perf_counter()
    split = by_split(load(args.data))
    print({k: len(v) for k, v in split.items()}, f"load {time.perf_counter() - t0:.1f}s", flush=True)
    mix = {k: float(v) for k, v in (item.split("=") for item in args.weights.split(","))}
    cfg = TrainConfig(steps=args.steps, batch=args.batch, window=args.window, lr=args.lr,
                      warmup=min(200, max(1, args.steps // 10)), log_every=max(1, min(25, args.checkpoint_every)),
                      checkpoint_every=args.checkpoint_every, weights=mix)
    if args.measure:
        print(f"{measure(split['train'], cfg, args.measure):.3f} steps/s", flush=True)
        return
    run(split, cfg, args.out, args.init, fresh_controls=args.fresh_controls)


def measure(pieces: list[Piece], cfg: TrainConfig, n: int) -> float:
    """Training steps per second of the current config on these pieces (after 2 warm-up steps)."""
    from engines.compose.batches import Batcher
    from engines.compose.model import Composer
    from engines.compose.train import masked_loss, optimizer

    mcfg = ModelConfig()
    model = Composer(mcfg)
    opt, batcher = optimizer(model, cfg), Batcher(pieces, cfg, mcfg)
    for i in range(n + 2):
        if i == 2:
            t = time.perf_counter()
        p, o = masked_loss(model, *batcher.batch())
        opt.zero_grad()
        (p + o).backward()
        opt.step()
    return n / (time.perf_counter() - t)


def run(split: dict[str, list[Piece]], cfg: TrainConfig, out: Path, init: Path | None, *,
        fresh_controls: bool = False) -> None:
    from engines.compose.model import Composer
    from engines.compose.train import train
    from engines.compose.weights import conditioned_info, to_tensors

    out.mkdir(parents=True, exist_ok=True)
    mcfg = ModelConfig()
    state, resume = start_state(out, init, fresh_controls=fresh_controls)
    valid = [p for p in split["valid"] if p.source in ("bach", "band")]
    log = open(out / "log.jsonl", "a")

    def on_checkpoint(full: dict, result: object) -> None:
        _atomic_save(full, out / "checkpoint.safetensors", {"config": mcfg.to_json()})
        model = Composer(mcfg)
        model.load_state_dict({k[6:]: v for k, v in full.items() if k.startswith("model.")})
        step = str(getattr(result, "step"))
        tensors, meta = to_tensors(model, info={"step": step, "valid_loss": str(getattr(result, "valid_loss")),
                                                **conditioned_info(mcfg)})
        _atomic_save(tensors, out / "composer.safetensors", meta)
        _atomic_save(tensors, out / f"composer-{int(step):05d}.safetensors", meta)

    def show(rec: dict) -> None:
        log.write(json.dumps({**rec, "time": time.time()}) + "\n")
        log.flush()

    result = train(split["train"], valid, mcfg, cfg, device=torch.device("cpu"), state=state, resume=resume,
                   on_checkpoint=on_checkpoint, log=show)
    print("done", result, flush=True)


if __name__ == "__main__":
    main()
