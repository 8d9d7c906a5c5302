"""Big arrays to and from worker processes through shared memory: exact values, nothing left behind."""
from __future__ import annotations

import os

import numpy as np
import pytest

from app import shared_arrays
from app.jobs import Job, JobRunner, JobState
from app.workers import InWorker, WorkerPool


def leftovers() -> list[str]:
    mine = f"partita-{os.getpid()}-"
    return [p.name for place in shared_arrays.folders() for p in place.glob(f"{mine}*")]


@pytest.fixture
def pool():
    made = WorkerPool(size=1)
    yield made
    made.shutdown()


def test_a_message_round_trips_with_big_arrays_in_shared_memory():
    audio = np.random.default_rng(0).standard_normal((2, 400_000)).astype(np.float32)
    view = audio[:, ::2]  # not contiguous
    view.flags.writeable = False
    data, segments = shared_arrays.dumps(("task", {"a": audio, "v": view, "small": np.arange(3)}), owner_pid=os.getpid())
    assert len(segments) == 2 and len(data) < 10_000  # the samples are not in the pickle
    kind, values = shared_arrays.loads(data)
    assert np.array_equal(values["a"], audio) and np.array_equal(values["v"], view)
    assert values["a"].dtype == np.float32 and values["small"].tolist() == [0, 1, 2]
    assert leftovers() == []  # names removed as soon as they are mapped
    values["a"][0, 0] = 5.0  # the receiver's array is its own
    assert audio[0, 0] != 5.0


def test_stems_come_back_from_a_worker_exactly(pool):
    audio = np.linspace(-1, 1, 2 * 300_000, dtype=np.float32).reshape(2, -1)
    runner = JobRunner()
    job = runner.wait(runner.submit(Job("stems", lambda p, c: pool.run(
        InWorker("tests.worker_tasks:stems", audio=audio), p, c))), timeout=60)
    runner.shutdown()
    assert job.state == JobState.DONE
    assert all(np.array_equal(stem, audio * (i + 1)) for i, stem in enumerate(job.result[:4]))
    assert leftovers() == []


def test_a_worker_that_dies_after_writing_leaves_nothing_behind(pool):
    runner = JobRunner()
    job = runner.wait(runner.submit(Job("crash", lambda p, c: pool.run(
        InWorker("tests.worker_tasks:big_then_crash"), p, c))), timeout=60)
    runner.shutdown()
    assert job.state == JobState.FAILED and "killed by SIGKILL" in job.error
    assert leftovers() == []
