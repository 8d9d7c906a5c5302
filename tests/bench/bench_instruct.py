"""Print how fast instructions are planned and carried out.

Run from the repository root:
    python tests/bench/bench_instruct.py [--runs 3]

Figures: the planner alone over the acceptance table (ms per instruction,
median and worst), `partita edit --dry-run` as a fresh process (what a
script pays), and the whole edit of the demo project in process for a plain
edit and for an engine step (plan + build on a working copy), with the
machine's load, since the machine may be shared.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
DEMO = ROOT / "resources" / "demo" / "demo.partita"
EDITS = ("remove the drums and make bars 2-3 louder", "transpose the lead up an octave",
         "regenerate the bass in bars 5-8", "add a brushed shuffle in bars 1-4", "extract the vocals")


def planner_ms() -> list[float]:
    from tests.instruct_song import planner
    from tests.test_instruct_plans import PLANS
    from tests.test_instruct_refusals import REFUSALS

    p = planner()
    texts = [t for t, _ in PLANS] + [t for t, _ in REFUSALS]
    for text in texts:  # warm the regexes
        p.plan(text)
    times = []
    for text in texts:
        t0 = time.perf_counter()
        p.plan(text)
        times.append((time.perf_counter() - t0) * 1000)
    return times


def cli_seconds(runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "app", "edit", str(DEMO), EDITS[0], "--dry-run"], cwd=ROOT,
                       check=True, capture_output=True)
        out.append(time.perf_counter() - t0)
    return out


def edit_seconds(text: str, runs: int) -> list[float]:
    from app.edit import EditSettings, plan_command, plan_instruction
    from app.projectfile import load_project
    from engines.instruct import Plan

    project = load_project(DEMO)
    out = []
    for seed in range(runs + 1):
        t0 = time.perf_counter()
        plan = plan_instruction(project, text)
        assert isinstance(plan, Plan), plan
        plan_command(project, plan, settings=EditSettings(seed=seed, device="cpu"))
        out.append(time.perf_counter() - t0)
    return out[1:]  # the first run loads the models


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    times = planner_ms()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"planner: {len(times)} instructions, median {statistics.median(times):.2f} ms, "
          f"worst {max(times):.2f} ms")
    cli = cli_seconds(args.runs)
    print(f"`partita edit --dry-run` (fresh process, demo project): median {statistics.median(cli):.2f} s")
    for text in EDITS:
        took = edit_seconds(text, args.runs)
        print(f"edit \"{text}\" (plan + build, models loaded): median {statistics.median(took):.3f} s")


if __name__ == "__main__":
    main()
