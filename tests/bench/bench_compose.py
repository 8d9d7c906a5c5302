"""Benchmark of the shipped composer: speed on this CPU, likelihood beside baselines, musicality.

Prints (and with --json writes) three tables:

1. speed: infill one track over 8 bars of a 4-track, 32-bar project, and
   generate 4 tracks × 32 bars from nothing (median of --repeat runs, for 1
   and 2 torch threads);
2. likelihood: held-out Bach chorales (the test split, by default only those
   whose melody does not occur in the training split), each voice removed in
   turn: joint NLL per 16th step (pitch and onset, nats) and argmax accuracy,
   chain rule left to right, for the model and three baselines (uniform over
   the voice's range, the state histogram, an interpolated 3-gram);
3. musicality: each voice of those pieces infilled (shipped sampling settings)
   beside the real voice: share of notes in key, share of chord tones of the
   other voices, mean melodic interval, onset-position histogram distance.

Needs the parsed chorales (``partita train --data bach`` parses and caches
them, or they are parsed here, ~1 min). Run from the repository root:

    python tests/bench/bench_compose.py [--pieces 10 | --all] [--repeat 3] [--json out.json]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from app.infill import load_composer  # noqa: E402
from app.train_data import corpus_pieces  # noqa: E402
from engines.compose.api import ComposeEngine, InfillTask  # noqa: E402
from engines.compose.data import by_split, unseen_melodies  # noqa: E402
from engines.compose.evaluate import likelihood_table, musicality  # noqa: E402
from engines.compose.grid import GridNote, GridTrack  # noqa: E402


def speed(engine: ComposeEngine, repeat: int) -> dict[str, dict[str, float]]:
    """Median seconds: 1 track × 8 bars infill in a 4-track 32-bar piece; 4 tracks × 32 bars from nothing."""
    roles = ("melody", "harmony", "counter", "bass")
    rng = np.random.default_rng(0)
    full = tuple(GridTrack(r, r, notes=tuple(GridNote(int(60 + 12 * (i == 0) - 12 * (i == 3) + rng.integers(-5, 6)),
                                                      4 * k, 4) for k in range(128))) for i, r in enumerate(roles))
    empty = tuple(GridTrack(r, r) for r in roles)
    jobs = {"infill 1 track x 8 bars": InfillTask(full, write=(1,), start=192, stop=320, n_steps=512),
            "generate 4 tracks x 32 bars": InfillTask(empty, write=(0, 1, 2, 3), start=0, stop=512, n_steps=512)}
    out: dict[str, dict[str, float]] = {}
    for threads in (1, 2):
        torch.set_num_threads(threads)
        engine.infill(jobs["infill 1 track x 8 bars"], seed=0)
        for name, task in jobs.items():
            times = []
            for k in range(repeat):
                t = time.perf_counter()
                engine.infill(task, seed=k)
                times.append(time.perf_counter() - t)
            out.setdefault(name, {})[f"{threads} thread{'s' * (threads > 1)}"] = statistics.median(times)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pieces", type=int, default=10, help="held-out chorales to score (default 10)")
    ap.add_argument("--all", action="store_true", help="score every held-out chorale")
    ap.add_argument("--with-seen-melodies", action="store_true",
                    help="also score test chorales whose melody appears in the training split")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--skip", default="", help="comma-separated: speed, likelihood, musicality")
    ap.add_argument("--json", help="also write the figures here")
    args = ap.parse_args()
    model = load_composer()
    engine = ComposeEngine(model)
    figures: dict[str, object] = {}
    if "speed" not in args.skip:
        figures["speed"] = speed(engine, args.repeat)
        print("speed (seconds, median):", json.dumps(figures["speed"], indent=1))
    torch.set_num_threads(2)
    split = by_split(corpus_pieces("bach"))
    test = split["test"] if args.with_seen_melodies else unseen_melodies(split["test"], split["train"] + split["valid"])
    test = test if args.all else test[:args.pieces]
    figures["test_pieces"] = [p.name for p in test]
    print(f"{len(test)} held-out chorales, {sum(p.n_steps for p in test)} steps each voice")
    if "likelihood" not in args.skip:
        t = time.perf_counter()
        figures["likelihood"] = table = likelihood_table(model, split["train"], test)
        print(f"likelihood ({time.perf_counter() - t:.0f} s): NLL nats/step | accuracy")
        for method, per in table.items():
            print(f"  {method:<10}" + "  ".join(f"{v}: {s['nll']:.3f} | {s['acc']:.3f}" for v, s in per.items()))
    if "musicality" not in args.skip:
        figures["musicality"] = music = musicality(model, test)
        print("musicality (infilled vs real):")
        for key in ("in_key", "chord_tone", "mean_interval"):
            real, made = music["real"][key], music["infilled"][key]
            print(f"  {key:<14} real {real:.3f}  infilled {made:.3f}  ({100 * (made - real) / real:+.1f}%)")
        print(f"  onset-position histogram distance (total variation): {music['infilled']['onset_hist_distance']:.3f}")
        print(f"  notes: real {music['real']['notes']:.0f}, infilled {music['infilled']['notes']:.0f}; "
              f"{music['infilled']['seconds_per_voice']:.2f} s per voice")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(figures, fh, indent=1)


if __name__ == "__main__":
    main()
