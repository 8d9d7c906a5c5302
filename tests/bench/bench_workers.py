"""What running engine work in a worker process costs (``app.workers``).

Prints, as medians of --repeat runs:

1. cold start: spawn a worker and get the answer of an empty task (a fresh
   interpreter importing ``app.worker_main``);
2. warm round trip: the same task on a worker that is already up;
3. infill one track over bars 3-6 of the demo project: in the calling
   process (the model already loaded: what a thread job costs), in a cold
   worker (spawn + torch import + model load + infill), and in a warm worker
   (the model stays loaded between jobs);
4. shipping 10 minutes of stereo audio to a worker, and four such stems
   back (big arrays travel through shared memory, ``app.shared_arrays``).

Run from the repository root: ``python tests/bench/bench_workers.py [--repeat 3]``.
The machine's load (``uptime``) is printed with the figures.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from typing import Any, Callable

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

import numpy as np  # noqa: E402

from app.jobs import CancelToken  # noqa: E402
from app.workers import InWorker, WorkerPool  # noqa: E402
from engines.common import Progress, no_progress  # noqa: E402

DEMO = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                    "resources", "demo", "demo.partita")
AUDIO_SECONDS = 600


def ping(*, payload: Any = None, progress: Progress, cancel: CancelToken) -> int:
    """An empty task: the cost of the round trip and of shipping ``payload``."""
    return os.getpid()


def stems(*, seconds: int, progress: Progress, cancel: CancelToken) -> list[np.ndarray]:
    """Four stereo float32 "stems" of ``seconds`` (what a separator sends back)."""
    return [np.full((2, 44100 * seconds), 0.1 * i, np.float32) for i in range(4)]


def timed(run: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def cold(task: InWorker) -> Any:
    pool = WorkerPool(size=1)
    try:
        return pool.run(task, no_progress, CancelToken())
    finally:
        pool.shutdown()


def demo_request() -> tuple[Any, Any]:
    from app.infill import InfillRequest
    from app.projectfile import load_project

    project = load_project(DEMO)
    return project, InfillRequest(track_ids=(project.track_named("Lead").id,), bars=(3, 6), seed=1)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    ping_task = InWorker("tests.bench.bench_workers:ping")
    rows = [("cold start (spawn + empty task)", timed(lambda: cold(ping_task), args.repeat))]
    warm = WorkerPool(size=1)
    warm.run(ping_task, no_progress, CancelToken())
    rows.append(("warm round trip (empty task)", timed(lambda: warm.run(ping_task, no_progress, CancelToken()),
                                                        args.repeat * 10)))
    project, request = demo_request()
    infill = InWorker("app.infill:infill_work", project=project, request=request, device="cpu")
    from app.infill import infill_work

    infill_work(project=project, request=request, device="cpu")  # load the model here once
    rows.append(("infill 1 track x 4 bars, in this process (model loaded)",
                 timed(lambda: infill_work(project=project, request=request, device="cpu"), args.repeat)))
    rows.append(("infill, cold worker (spawn + torch + model + infill)", timed(lambda: cold(infill), args.repeat)))
    warm.run(infill, no_progress, CancelToken())
    rows.append(("infill, warm worker", timed(lambda: warm.run(infill, no_progress, CancelToken()), args.repeat)))
    audio = np.zeros((2, 44100 * AUDIO_SECONDS), np.float32)
    heavy = InWorker("tests.bench.bench_workers:ping", payload=audio)
    rows.append((f"empty task carrying {AUDIO_SECONDS // 60} min of stereo audio ({audio.nbytes / 1e6:.0f} MB)",
                 timed(lambda: warm.run(heavy, no_progress, CancelToken()), args.repeat)))
    back = InWorker("tests.bench.bench_workers:stems", seconds=AUDIO_SECONDS)
    rows.append((f"four {AUDIO_SECONDS // 60}-min stereo stems back ({4 * audio.nbytes / 1e6:.0f} MB; "
                 "made in the worker)", timed(lambda: warm.run(back, no_progress, CancelToken()), args.repeat)))
    warm.shutdown()
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this process: {peak:.0f} MB (it holds the 212 MB of audio, torch and the composer)")
    print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} "
          f"({os.cpu_count()} cores)")
    for name, seconds in rows:
        print(f"{name:<62} {seconds * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
