"""Controlled generation beside Music ControlNet's figures: adherence, attributes, musicality, speed.

Controls are extracted with engines/controls from 20 s renderings of pieces
not trained on (``generate_sources``); ``partita generate``'s engine writes
a new piece from them; it is rendered (built-in synthesiser) and its
controls extracted the same way; the two are compared over the frames the
controls specify.

- full: every control given. Melody accuracy (pitch class per frame), dynamics
  correlation, beat and downbeat F1 (70 ms), beside Music ControlNet.
- half: each control given only in random spans of 2-5 s (about half the
  time): the same figures on the given frames; on the free frames, the
  pitch-class histogram distance (total variation) to the source, the share
  of notes in the key, and beat F1 against the source's own beats.
- attributes: 40 prompts; the share of asked attributes the output has.
- musicality: generated parts beside the source's real ones.
- drums: beat and downbeat F1 per groove (each asked for in the prompt), with
  the rule drums and, when the composer can write drums, with the composer's.
- speed: `partita generate` (20 s, 4 tracks, controls) + `partita render`
  as commands, start-up included; 30 s of 4-track music generated and
  rendered in one process (engine time).

    python tests/bench/bench_generate.py [--sections full,half,attributes,musicality,speed]
        [--pieces 10] [--source auto|band|arrangements] [--json out.json]
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.bench import generate_scoring as scoring  # noqa: E402
from tests.bench.generate_sources import SECONDS, masked, sources  # noqa: E402

CONTROLNET = {"melody_accuracy": 0.587, "dynamics_correlation": 0.908, "beat_f1": 0.708, "downbeat_f1": 0.408}
"""Music ControlNet's published figures (its table of extracted controls)."""
TARGETS = {"melody_accuracy": 0.85, "dynamics_correlation": 0.95, "beat_f1": 0.90, "downbeat_f1": 0.80}
SECTIONS = ("full", "half", "attributes", "musicality", "drums", "speed")


def adherence_section(generate: object, srcs: list, *, half: bool, out: dict) -> None:
    rows = []
    for i, src in enumerate(srcs):
        target = scoring.extract(src.audio)
        given = masked(target, seed=100 + i) if half else target
        start = time.perf_counter()
        project = scoring.generated(generate, given, seed=i)
        took = time.perf_counter() - start
        if not half:
            scoring.GENERATED[src.name] = project
        est = scoring.extract(scoring.render(project))
        row = scoring.adherence_row(given, est)
        if half:
            row.update(scoring.free_frames(given, target, est, project, src))
        else:
            row["sine_ceiling"] = scoring.sine_ceiling(target)
        rows.append(row)
        print(f"  {src.name:34s} " + " ".join(f"{k} {v:.3f}" for k, v in row.items()) + f"  ({took:.1f} s)",
              flush=True)
    name = "half" if half else "full"
    means = {k: float(np.nanmean([r[k] for r in rows])) for k in rows[0]}
    out[name] = {"pieces": len(rows), "mean": means, "rows": rows}
    print(f"\n{name} controls, {len(rows)} pieces of {SECONDS:g} s:")
    for k, v in means.items():
        extra = f"   (Music ControlNet {CONTROLNET[k]:.3f}, target >= {TARGETS[k]:.2f})" if k in CONTROLNET else ""
        print(f"  {k:24s} {v:.3f}{extra}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sections", default=",".join(SECTIONS))
    parser.add_argument("--pieces", type=int, default=10)
    parser.add_argument("--source", default="auto", choices=("auto", "band", "arrangements"))
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    wanted = [s.strip() for s in args.sections.split(",") if s.strip()]
    print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} "
          f"({os.cpu_count()} cores)", flush=True)
    from app.generate import Generate

    generate = Generate(device="cpu")
    out: dict = {}
    srcs = sources(args.source, args.pieces) if {"full", "half", "musicality", "drums"} & set(wanted) else []
    if srcs:
        print(f"sources: {len(srcs)} ({', '.join(s.name for s in srcs)})", flush=True)
    if "full" in wanted:
        adherence_section(generate, srcs, half=False, out=out)
    if "half" in wanted:
        adherence_section(generate, srcs, half=True, out=out)
    if "attributes" in wanted:
        out["attributes"] = scoring.attributes_section(generate)
    if "musicality" in wanted:
        out["musicality"] = scoring.musicality_section(generate, srcs)
    if "drums" in wanted:
        out["drums"] = scoring.drums_section(generate, srcs)
    if "speed" in wanted:
        out["speed"] = scoring.speed_section(generate, srcs[:1] or sources("arrangements", 1))
    if args.json:
        args.json.write_text(json.dumps(out, indent=1, default=float))


if __name__ == "__main__":
    main()
