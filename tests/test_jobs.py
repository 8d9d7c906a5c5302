"""The job runner: states, progress, cancel, crashes that stay inside the job."""
from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from app.errors import InputError
from app.jobs import Job, JobRunner, JobState
from app.project import AudioTrack, MidiTrack, Note, Project


def run(work, **kwargs):
    updates = []
    runner = JobRunner(on_update=lambda job: updates.append((job.state, job.fraction)), **kwargs)
    job = runner.wait(runner.submit(Job("test", work)), timeout=10)
    runner.shutdown()
    return job, updates


def test_a_job_runs_and_reports():
    def work(progress, cancel):
        for i in range(3):
            progress((i + 1) / 3, f"step {i}")
        return 42

    job, updates = run(work, progress_interval=0.0)
    assert job.state == JobState.DONE and job.result == 42 and job.fraction == 1.0
    assert updates[0][0] == JobState.QUEUED and updates[1][0] == JobState.RUNNING
    assert updates[-1][0] == JobState.DONE
    assert any(0 < f < 1 for s, f in updates if s == JobState.RUNNING)


def test_a_crash_becomes_a_failed_job_with_a_message():
    def work(progress, cancel):
        raise ZeroDivisionError("boom")

    job, _ = run(work)
    assert job.state == JobState.FAILED and job.result is None
    assert job.error == "ZeroDivisionError: boom" and "Traceback" in job.detail


def test_a_user_error_is_reported_as_is():
    def work(progress, cancel):
        raise InputError("song.wav: not a readable audio file")

    job, _ = run(work)
    assert job.error == "song.wav: not a readable audio file" and job.detail is None


def test_cancel_stops_at_the_next_check_and_queued_jobs_never_start():
    gate = threading.Event()
    started = threading.Event()
    ran_second = []

    def slow(progress, cancel):
        started.set()
        while True:
            gate.wait(0.01)
            cancel.check()

    runner = JobRunner(workers=1)
    first = runner.submit(Job("slow", slow))
    second = runner.submit(Job("queued", lambda p, c: ran_second.append(True)))
    assert started.wait(5)
    runner.cancel(second)
    runner.cancel(first)
    runner.wait(first, timeout=5)
    runner.shutdown()
    assert first.state == JobState.CANCELLED and second.state == JobState.CANCELLED
    assert ran_second == []


def test_snapshot_is_independent_and_shares_audio_read_only():
    project = Project()
    midi = MidiTrack("m", [Note(60, 0, 10)])
    audio = AudioTrack("a", np.zeros((2, 100), np.float32))
    project.tracks = [midi, audio]
    copy = project.snapshot()
    copy.tracks[0].notes.append(Note(61, 0, 10))
    assert len(midi.notes) == 1
    assert np.shares_memory(copy.tracks[1].samples, audio.samples)
    with pytest.raises(ValueError):
        copy.tracks[1].samples[0, 0] = 1.0
    audio.samples[0, 0] = 0.5  # the live project stays writable


def test_jobs_run_side_by_side_up_to_the_limit_then_queue():
    gate, running = threading.Event(), []

    def hold(progress, cancel):
        running.append(True)
        gate.wait(10)

    runner = JobRunner(workers=2)
    jobs = [runner.submit(Job(f"job {i}", hold)) for i in range(3)]
    deadline = time.monotonic() + 5
    while len(running) < 2 and time.monotonic() < deadline:
        gate.wait(0.01)
    assert [j.state for j in jobs] == [JobState.RUNNING, JobState.RUNNING, JobState.QUEUED]
    gate.set()
    for job in jobs:
        runner.wait(job, timeout=5)
    runner.shutdown()
    assert all(j.state == JobState.DONE for j in jobs) and len(running) == 3
