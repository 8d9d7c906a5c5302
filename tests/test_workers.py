"""Jobs in worker processes: results as one command, progress, cancel, crashes that stay in the job,
and jobs side by side (an export is not held up by a slow engine)."""
from __future__ import annotations

import os
import signal
import threading
import time

import pytest

from app.jobs import Job, JobRunner, JobState
from app.project import MidiTrack, Note, Project
from app.workers import InWorker, WorkerPool


@pytest.fixture
def pool():
    made = WorkerPool(size=2, cancel_grace=1.0)
    yield made
    made.shutdown()


def project() -> Project:
    p = Project(name="p", length_bars=4)
    p.tracks.append(MidiTrack("Lead", [Note(72, 0, 480, 90)]))
    return p


def in_pool(pool: WorkerPool, target: str, **kwargs):
    return lambda progress, cancel: pool.run(InWorker(target, **kwargs), progress, cancel)


def run(work, timeout=60):
    updates = []
    runner = JobRunner(on_update=lambda job: updates.append((job.state, job.fraction, job.message)),
                       progress_interval=0.0)
    job = runner.wait(runner.submit(Job("test", work)), timeout=timeout)
    runner.shutdown()
    return job, updates


def test_a_worker_job_reports_progress_and_returns_one_command_by_track_id(pool):
    p = project()
    job, updates = run(in_pool(pool, "tests.worker_tasks:slow", track_id=p.tracks[0].id, seconds=0.2, steps=4))
    assert job.state == JobState.DONE
    running = [(f, m) for s, f, m in updates if s == JobState.RUNNING and m]
    assert [f for f, _ in running] == sorted(f for f, _ in running) and running[-1][0] == 1.0
    assert f"in pid {os.getpid()}" not in running[-1][1]  # it ran in another process
    job.result.do(p)
    assert len(p.tracks[0].notes) == 5
    job.result.undo(p)
    assert p.tracks[0].notes == [Note(72, 0, 480, 90)]


def test_a_warm_worker_is_reused_and_a_dead_one_replaced(pool):
    first, _ = run(in_pool(pool, "tests.worker_tasks:pid"))
    second, _ = run(in_pool(pool, "tests.worker_tasks:pid"))
    assert first.result == second.result != os.getpid()
    os.kill(first.result, signal.SIGKILL)
    time.sleep(0.2)
    third, _ = run(in_pool(pool, "tests.worker_tasks:pid"))
    assert third.state == JobState.DONE and third.result != first.result


def test_a_killed_worker_fails_its_job_with_a_clear_message(pool):
    p = project()
    before = list(p.tracks[0].notes)
    runner = JobRunner()
    job = runner.submit(Job("slow", in_pool(pool, "tests.worker_tasks:slow", track_id=p.tracks[0].id,
                                            seconds=30, steps=300)))
    deadline = time.monotonic() + 30
    while job.fraction == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(pool.busy_pids()[0], signal.SIGKILL)  # as the kernel's out-of-memory killer would
    runner.wait(job, timeout=10)
    runner.shutdown()
    assert job.state == JobState.FAILED and job.result is None
    assert job.error == ("the engine's worker process stopped unexpectedly (killed by SIGKILL — out of "
                         "memory, or killed); the project was not changed")
    assert p.tracks[0].notes == before


def test_a_native_crash_fails_the_job_not_the_caller(pool):
    job, _ = run(in_pool(pool, "tests.worker_tasks:crash"))
    assert job.state == JobState.FAILED and "killed by SIGSEGV" in job.error


def test_errors_in_the_worker_come_back_as_the_job_error(pool):
    job, _ = run(in_pool(pool, "tests.worker_tasks:refuse"))
    assert job.state == JobState.FAILED and job.error == "song.wav: not a readable audio file"
    job, _ = run(in_pool(pool, "tests.worker_tasks:bug"))
    assert job.error == "KeyError: 'b'" and "worker_tasks.py" in job.detail


def test_cancel_reaches_the_worker_between_chunks_and_the_worker_stays(pool):
    p = project()
    runner = JobRunner()
    job = runner.submit(Job("slow", in_pool(pool, "tests.worker_tasks:slow", track_id=p.tracks[0].id,
                                            seconds=60, steps=600)))
    while job.fraction == 0:
        time.sleep(0.05)
    pid = pool.busy_pids()[0]
    asked = time.monotonic()
    runner.cancel(job)
    runner.wait(job, timeout=10)
    assert job.state == JobState.CANCELLED and time.monotonic() - asked < 1.0
    again = runner.wait(runner.submit(Job("pid", in_pool(pool, "tests.worker_tasks:pid"))), timeout=30)
    runner.shutdown()
    assert again.result == pid  # the worker honoured the cancel and serves the next job


def test_a_worker_that_ignores_cancel_is_stopped(pool):
    runner = JobRunner()
    job = runner.submit(Job("stuck", in_pool(pool, "tests.worker_tasks:stubborn", seconds=60)))
    while job.fraction == 0:
        time.sleep(0.05)
    pid = pool.busy_pids()[0]
    runner.cancel(job)
    runner.wait(job, timeout=10)
    runner.shutdown()
    assert job.state == JobState.CANCELLED and "worker was stopped" in job.message
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_an_export_finishes_while_a_slow_engine_job_runs(pool, tmp_path):
    from app.exporting import ExportRequest, export

    p = project()
    finished: dict[str, float] = {}
    done = threading.Event()

    def note(job):
        if job.finished:
            finished[job.title] = time.monotonic()
            if len(finished) == 2:
                done.set()

    runner = JobRunner(on_update=note)
    slow = runner.submit(Job("engine", in_pool(pool, "tests.worker_tasks:slow", track_id=p.tracks[0].id,
                                               seconds=8, steps=80)))
    export_job = runner.submit(Job("export", lambda progress, cancel: export(
        p.snapshot(), ExportRequest(wav=tmp_path / "mix.wav"), progress=progress, cancel=cancel)))
    assert done.wait(60)
    runner.shutdown()
    assert export_job.state == slow.state == JobState.DONE
    assert finished["export"] < finished["engine"]
    assert (tmp_path / "mix.wav").stat().st_size > 0


def test_a_prewarmed_worker_is_the_one_the_next_job_gets(pool):
    assert pool.prewarm(InWorker("tests.worker_tasks:slow_start", seconds=1.0))
    assert not pool.prewarm(InWorker("tests.worker_tasks:slow_start", seconds=1.0))  # one is enough
    job, _ = run(in_pool(pool, "tests.worker_tasks:pid"))  # asked while it warms: waits for it
    warmed, _ = run(in_pool(pool, "tests.worker_tasks:warmed"))
    assert warmed.result == job.result and warmed.result != os.getpid()
