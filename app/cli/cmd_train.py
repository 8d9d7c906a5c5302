"""``partita train --data SPEC -o MODEL_DIR [--steps N] [--device auto|cpu|cuda]``, also under torchrun."""
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
        "checkpoint first. Uses the GPU when torch sees one (--device auto). To train on several "
        "GPUs or machines, start it with torchrun, e.g. `torchrun --nproc_per_node 4 -m app train "
        "...`: each process trains on its own batches of --batch examples and they keep one model "
        "(PyTorch DDP); only the first process writes MODEL_DIR, which resumes the same way.")
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
    p.add_argument("--mix", metavar="SOURCE=W[,SOURCE=W]",
                   help="how often each data source is drawn, e.g. bach=3,accomp=3 (default: the built-in mix)")
    p.add_argument("--valid-sources", metavar="SOURCE[,SOURCE]",
                   help="validate only on held-out pieces of these sources, e.g. bach (default: all)")
    p.add_argument("--keep", choices=("last", "best"), default="last",
                   help="composer.safetensors holds the last weights, or those of the best validation "
                   "loss (default last)")
    p.add_argument("--max-seconds", type=float, metavar="S",
                   help="stop after S seconds of training with a checkpoint (run again to resume)")
    p.set_defaults(func=run)


def parse_mix(text: str | None) -> dict[str, float] | None:
    """"bach=3,accomp=1.5" -> {"bach": 3.0, "accomp": 1.5}; PartitaError when malformed."""
    if not text:
        return None
    mix = {}
    for item in text.split(","):
        name, _, weight = item.partition("=")
        try:
            mix[name.strip()] = float(weight)
        except ValueError:
            raise PartitaError(f"--mix item {item!r} is not like bach=3") from None
        if mix[name.strip()] < 0 or not name.strip():
            raise PartitaError(f"--mix item {item!r} needs a source and a weight >= 0")
    return mix


def run(args: argparse.Namespace) -> int:
    from app.cli.common import StderrProgress
    from app.distributed import group_from_env
    from engines.common import no_progress

    if args.steps < 1 or args.batch < 1:
        raise PartitaError("--steps and --batch must be at least 1")
    if args.max_seconds is not None and args.max_seconds <= 0:
        raise PartitaError("--max-seconds must be above 0")
    mix = parse_mix(args.mix)
    out = Path(args.output)
    if out.exists() and not out.is_dir():
        raise PartitaError(f"{out}: exists and is not a folder")
    from app.devices import resolve_device
    from app.train_data import load_spec

    resolve_device(args.device)  # a GPU asked for and absent fails now, not after reading the data
    group = group_from_env()
    leader = group is None or group.leader

    pieces = load_spec(args.data, progress=StderrProgress("reading data") if leader else no_progress)
    out.mkdir(parents=True, exist_ok=True)
    from app.training import TrainJob, TrainOptions

    options = TrainOptions(steps=args.steps, device=args.device, batch=args.batch, lr=args.lr,
                           from_scratch=args.from_scratch, size=args.size, seed=args.seed, mix=mix,
                           valid_sources=tuple(args.valid_sources.split(",")) if args.valid_sources else None,
                           keep=args.keep, max_seconds=args.max_seconds)
    job = TrainJob(pieces, out, options)
    if leader:
        print(f"partita: {job.describe()}", file=sys.stderr)
    started = time.monotonic()
    result = job.run(progress=StderrProgress("training"))
    if leader:
        summary = {"steps": result.step, "train_loss": round(result.train_loss, 4),
                   "valid_loss": None if result.valid_loss is None else round(result.valid_loss, 4),
                   "seconds": round(time.monotonic() - started, 1), "weights": str(job.weights_path),
                   "processes": group.world if group else 1, "stopped_early": job.stopped_by_deadline}
        print(json.dumps(summary))
    return 0
