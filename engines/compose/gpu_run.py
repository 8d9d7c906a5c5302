"""Train the shipped composer on a GPU machine from packed ``.npz`` pieces.

This is the script that trained ``resources/models/composer.safetensors``:
it reads pieces packed by ``app.train_data`` (no music21 needed), trains with
a wall-clock deadline (the run is checkpointed when it hits it), keeps the
weights with the best chorale validation loss, and scores held-out chorales.

    python3 -m engines.compose.gpu_run --data DIR --out OUT --steps 20000 --deadline 520

A fine-tune from shipped weights starts a fresh schedule (``--init`` without
``--start-step``), takes its data mix from ``--weights`` and keeps the last
weights (``--keep last``), since a new data mix moves the chorale loss.
"""
from __future__ import annotations

import argparse
import json
import threading
import time
from pathlib import Path

import numpy as np
import torch

from engines.common import CancelToken, Cancelled
from engines.compose.config import ModelConfig, TrainConfig
from engines.compose.data import by_split, unpack
from engines.compose.metrics import voice_blind_accuracy, voice_chain_scores
from engines.compose.model import Composer, n_params
from engines.compose.batches import Batcher
from engines.compose.train import TrainResult, masked_loss, optimizer, train
from engines.compose.weights import from_tensors, to_tensors


def load(data: Path) -> list:
    pieces = []
    for f in sorted(data.glob("*.npz")):
        with np.load(f) as z:
            pieces += unpack({k: z[k] for k in z.files})
    return pieces


def throughput(train_pieces: list, device: torch.device, batch: int) -> float:
    cfg = TrainConfig(batch=batch)
    model = Composer(ModelConfig()).to(device)
    opt, b = optimizer(model, cfg), Batcher(train_pieces, cfg, ModelConfig(), device=device)
    for i in range(25):
        if i == 5:
            if device.type == "cuda":
                torch.cuda.synchronize()
            t = time.perf_counter()
        with torch.autocast(device.type, dtype=torch.bfloat16):
            p, o = masked_loss(model, *b.batch())
        opt.zero_grad()
        (p + o).backward()
        opt.step()
    if device.type == "cuda":
        torch.cuda.synchronize()
    return 20 / (time.perf_counter() - t)


def chorale_eval(model: Composer, test: list, device: torch.device, view: int) -> dict:
    model = model.to(device).eval()
    out = {}
    for v, name in enumerate(("soprano", "alto", "tenor", "bass")):
        nll, blind, correct, steps = 0.0, 0.0, 0, 0
        for p in test:
            a, c, n = voice_chain_scores(model, p, v, view=view, batch=512, device=device)
            nll, correct, steps = nll + a, correct + c, steps + n
            blind += voice_blind_accuracy(model, p, v, device=device)[0]
        out[name] = {"nll": nll / steps, "acc": correct / steps, "blind_pitch_acc": blind / steps, "steps": steps}
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--steps", type=int, default=2000)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--deadline", type=float, default=500.0, help="seconds of training before checkpoint+stop")
    ap.add_argument("--init", type=Path, help="checkpoint.safetensors (or bare weights) to resume from")
    ap.add_argument("--start-step", type=int, help="the schedule step bare --init weights reached")
    ap.add_argument("--plan-seconds", type=float, default=0.0,
                    help="measure steps/s first and set --steps to fill this many seconds")
    ap.add_argument("--eval-view", type=int, default=128)
    ap.add_argument("--eval-pieces", type=int, default=1000, help="test chorales to score")
    ap.add_argument("--weights", help="data mix, e.g. bach=3,accomp=3 (default: TrainConfig's)")
    ap.add_argument("--valid-sources", default="bach", help="comma-separated sources of the validation pieces")
    ap.add_argument("--keep", choices=("best", "last"), default="best",
                    help="weights written to OUT: best validation loss, or the last checkpoint")
    args = ap.parse_args()
    from safetensors.torch import load_file, save_file

    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if device.type == "cuda":
        torch.backends.cuda.enable_cudnn_sdp(False)
    t0 = time.perf_counter()
    split = by_split(load(args.data))
    print({k: len(v) for k, v in split.items()}, f"load {time.perf_counter() - t0:.1f}s", flush=True)
    if args.plan_seconds:
        rate = throughput(split["train"], device, args.batch)
        args.steps = int(rate * args.plan_seconds) + (args.start_step or 0)
        print(f"batch {args.batch}: {rate:.2f} steps/s; PLANNED_STEPS {args.steps}", flush=True)
    args.out.mkdir(parents=True, exist_ok=True)
    mcfg = ModelConfig()
    mix = TrainConfig().weights if not args.weights else {
        k: float(v) for k, v in (item.split("=") for item in args.weights.split(","))}
    cfg = TrainConfig(steps=args.steps, batch=args.batch, lr=args.lr, warmup=min(500, args.steps // 10),
                      log_every=100, checkpoint_every=500, weights=mix)
    valid = [p for p in split["valid"] if p.source in args.valid_sources.split(",")]
    best = {"valid": float("inf")}
    log = open(args.out / "log.jsonl", "a")

    def on_checkpoint(state: dict[str, torch.Tensor], result: TrainResult) -> None:
        save_file(state, "/tmp/checkpoint.safetensors")
        better = result.valid_loss is not None and result.valid_loss < best["valid"]
        if better or args.keep == "last":
            best["valid"] = min(best["valid"], result.valid_loss or best["valid"])
            model = Composer(mcfg)
            model.load_state_dict({k[6:]: v for k, v in state.items() if k.startswith("model.")})
            tensors, meta = to_tensors(model, info={"step": str(result.step),
                                                    "valid_loss": f"{result.valid_loss or float('nan'):.4f}"})
            save_file(tensors, str(args.out / "composer.safetensors"), metadata=meta)
        print("checkpoint", result, flush=True)

    cancel = CancelToken()
    timer = threading.Timer(args.deadline, cancel.cancel)
    timer.daemon = True
    timer.start()
    state = load_file(str(args.init)) if args.init else None
    if state is not None and args.start_step is not None:
        state["step"] = torch.tensor([args.start_step])
    print("params", n_params(Composer(mcfg)), flush=True)

    def show(rec: dict) -> None:
        log.write(json.dumps(rec) + "\n")
        log.flush()
        print(rec, flush=True)

    try:
        train(split["train"], valid, mcfg, cfg, device=device, state=state, on_checkpoint=on_checkpoint,
              log=show, cancel=cancel)
    except Cancelled:
        print("deadline reached", flush=True)
    cancel.cancel()
    with open(args.out / "composer.safetensors", "rb") as fh:
        from safetensors.torch import load as load_bytes
        from safetensors import safe_open
        meta = safe_open(str(args.out / "composer.safetensors"), "pt").metadata()
        model = from_tensors(load_bytes(fh.read()), meta)
    test = [p for p in split["test"] if p.source == "bach"][:args.eval_pieces]
    t1 = time.perf_counter()
    res = chorale_eval(model, test, device, args.eval_view)
    res["seconds"] = time.perf_counter() - t1
    res["meta"] = meta
    (args.out / "eval.json").write_text(json.dumps(res, indent=1))
    print(json.dumps(res), flush=True)


if __name__ == "__main__":
    main()
