"""``partita train --data SPEC -o MODEL_DIR [--steps N] [--device auto|cpu|cuda]``."""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from app.devices import add_device_argument
from app.errors import PartitaError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "train", help="train or fine-tune the composer model",
        description="Train the composer (the model behind infill) on music21's corpus or your own "
        "MIDI files. By default it fine-tunes the installed composer; MODEL_DIR receives "
        "composer.safetensors (use it with `infill --model` or `models import --name composer`), "
        "checkpoint.safetensors (weights, optimizer and step) and log.jsonl. Running again "
        "with the same MODEL_DIR resumes from its checkpoint up to --steps. Ctrl-C saves a "
        "checkpoint first. Uses the GPU when torch sees one (--device auto).")
    p.add_argument("--data", metavar="SPEC", required=True,
                   help="comma-separated: a folder of MIDI files, a MIDI file, an .npz of parsed "
                   "pieces, or a music21 corpus: bach, palestrina, monteverdi, quartets, essen, "
                   "oneills, or corpus (all of them; parsed once, minutes, then cached), or accomp (the "
                   "Essen and O'Neill tunes with a synthetic chords-and-bass accompaniment)")
    p.add_argument("-o", "--output", metavar="MODEL_DIR", required=True,
                   help="folder for the weights, checkpoint and log (created if missing)")
    p.add_argument("--steps", type=int, default=1000,
                   help="training steps in all, counting those of a resumed checkpoint (default 1000)")
    add_device_argument(p, what="train")
    p.add_argument("--batch", type=int, default=32,
                   help="examples of 16 bars per step, for four-voice music (default 32)")
    p.add_argument("--lr", type=float,
                   help="peak learning rate (default 3e-4 when fine-tuning, 1e-3 from scratch)")
    p.add_argument("--from-scratch", action="store_true",
                   help="start from random weights instead of the installed composer")
    p.add_argument("--size", choices=("full", "tiny"), default="full",
                   help="model size with --from-scratch: full (the shipped shape) or tiny (for tests)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from app.cli.common import StderrProgress

    if args.steps < 1 or args.batch < 1:
        raise PartitaError("--steps and --batch must be at least 1")
    out = Path(args.output)
    if out.exists() and not out.is_dir():
        raise PartitaError(f"{out}: exists and is not a folder")
    from app.train_data import load_spec

    pieces = load_spec(args.data, progress=StderrProgress("reading data"))
    out.mkdir(parents=True, exist_ok=True)
    from app.training import TrainJob

    job = TrainJob(pieces, out, steps=args.steps, device=args.device, batch=args.batch, lr=args.lr,
                   from_scratch=args.from_scratch, size=args.size, seed=args.seed)
    print(f"partita: {job.describe()}", file=sys.stderr)
    started = time.monotonic()
    result = job.run(progress=StderrProgress("training"))
    summary = {"steps": result.step, "train_loss": round(result.train_loss, 4),
               "valid_loss": None if result.valid_loss is None else round(result.valid_loss, 4),
               "seconds": round(time.monotonic() - started, 1), "weights": str(job.weights_path)}
    print(json.dumps(summary))
    return 0
