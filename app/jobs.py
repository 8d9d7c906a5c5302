"""Background jobs: engine work on worker threads, with progress and cancel.

A ``Job`` wraps one function ``work(progress, cancel) -> result``. Lifecycle:
``QUEUED`` when submitted -> ``RUNNING`` on a worker thread -> exactly one of
``DONE`` (``result`` set), ``FAILED`` (``error`` holds a one-line message,
``result`` stays None) or ``CANCELLED`` (the work raised ``Cancelled`` after
``cancel()``, or was cancelled while still queued and never ran).

Rules for ``work``: it must not touch a project a window shows. Give it a
``project.snapshot()`` or the plain arrays it needs, and return a result (for
edits, an ``app.commands.Command``) that the GUI applies as one undo step.
Any exception becomes a failed job; the runner and the project survive it.
Heavy engine work is ``InWorker("module:function", **kwargs)`` (``app.workers``):
the same lifecycle, run in a worker process, with its result pickled back.

``JobRunner`` calls ``on_update(job)`` from worker threads whenever a job's
state changes, and at most every ``progress_interval`` seconds for progress.
"""
from __future__ import annotations

import threading
import time
import traceback
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Callable

from app.errors import PartitaError
from engines.common import CancelToken, Cancelled, Progress

Work = Callable[[Progress, CancelToken], Any]


class JobState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def finished(self) -> bool:
        return self in (JobState.DONE, JobState.FAILED, JobState.CANCELLED)


_ids = iter(range(1, 1 << 62))


@dataclass(eq=False)
class Job:
    """One unit of background work; see the module docstring for its lifecycle."""

    title: str
    work: Work
    state: JobState = JobState.QUEUED
    fraction: float = 0.0
    message: str = ""
    result: Any = None
    error: str | None = None
    detail: str | None = None
    """The traceback of an unexpected crash (for a bug report), else None."""
    cancel_token: CancelToken = field(default_factory=CancelToken)
    id: int = field(default_factory=lambda: next(_ids))
    started_at: float | None = None
    finished_at: float | None = None

    def cancel(self) -> None:
        """Ask the work to stop at its next ``check()``; a queued job never starts."""
        self.cancel_token.cancel()

    @property
    def finished(self) -> bool:
        return self.state.finished


Listener = Callable[[Job], None]


DEFAULT_LIMIT = 2
"""Jobs that run side by side: a long separation does not hold up an infill or an export."""


class JobRunner:
    """Runs up to ``workers`` jobs side by side on threads; more wait their turn (QUEUED).

    Heavy engine work runs in a worker process (``app.workers.InWorker``), so a
    crash or out-of-memory there fails its job and nothing else.
    """

    def __init__(self, *, workers: int = DEFAULT_LIMIT, on_update: Listener | None = None,
                 progress_interval: float = 0.05) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="partita-job")
        self._on_update = on_update or (lambda job: None)
        self._interval = progress_interval
        self._lock = threading.Lock()
        self.jobs: list[Job] = []
        self._futures: dict[int, Future] = {}

    def submit(self, job: Job) -> Job:
        with self._lock:
            self.jobs.append(job)
        self._on_update(job)
        with self._lock:
            self._futures[job.id] = self._pool.submit(self._run, job)
        return job

    def cancel(self, job: Job) -> None:
        job.cancel()
        future = self._futures.get(job.id)
        if future is not None and future.cancel():
            self._finish(job, JobState.CANCELLED, message="cancelled before it started")

    def wait(self, job: Job, timeout: float | None = None) -> Job:
        """Block until ``job`` finishes (for scripts and tests, not the GUI thread)."""
        future = self._futures.get(job.id)
        if future is not None and not future.cancelled():
            future.result(timeout)
        return job

    def active(self) -> list[Job]:
        return [j for j in self.jobs if not j.finished]

    def forget_finished(self) -> None:
        with self._lock:
            self.jobs = [j for j in self.jobs if not j.finished]

    def shutdown(self, *, wait: bool = True) -> None:
        """Cancel everything and stop the workers."""
        for job in self.active():
            self.cancel(job)
        self._pool.shutdown(wait=wait, cancel_futures=True)

    # -- worker side -----------------------------------------------------------
    def _run(self, job: Job) -> None:
        if job.cancel_token.cancelled:
            self._finish(job, JobState.CANCELLED, message="cancelled before it started")
            return
        job.state, job.started_at = JobState.RUNNING, time.monotonic()
        self._on_update(job)
        try:
            result = job.work(self._progress_for(job), job.cancel_token)
        except Cancelled as exc:
            self._finish(job, JobState.CANCELLED, message=str(exc) or "cancelled")
        except PartitaError as exc:
            self._finish(job, JobState.FAILED, error=str(exc))
        except Exception as exc:  # an engine crash must never take the app down
            error = str(exc) if hasattr(exc, "detail") else f"{type(exc).__name__}: {exc}"
            self._finish(job, JobState.FAILED, error=error,
                         detail=getattr(exc, "detail", None) or traceback.format_exc())
        else:
            job.result = result
            job.fraction = 1.0
            self._finish(job, JobState.DONE, message="done")

    def _finish(self, job: Job, state: JobState, *, message: str = "", error: str | None = None,
                detail: str | None = None) -> None:
        job.state, job.error, job.detail = state, error, detail
        job.message = error or message
        job.finished_at = time.monotonic()
        self._on_update(job)

    def _progress_for(self, job: Job) -> Progress:
        last = [0.0]

        def progress(fraction: float, message: str = "") -> None:
            job.fraction = float(min(max(fraction, 0.0), 1.0))
            if message:
                job.message = message
            now = time.monotonic()
            if now - last[0] >= self._interval:
                last[0] = now
                self._on_update(job)

        return progress
