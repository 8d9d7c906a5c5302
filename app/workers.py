"""Worker processes for heavy engine work: a crash or out-of-memory there fails the job, not the window.

``InWorker("module:function", **kwargs)`` is a job's work (``app.jobs``) that
runs ``function(**kwargs, progress=..., cancel=...)`` in a worker process
(``python -m app.worker_main``) and returns its result, which must pickle
(an ``app.commands.Command`` that refers to tracks by id, a list of them, plain
data). Progress flows back as it happens; ``cancel`` reaches the worker, whose
engine stops at its next ``check()`` between chunks. If the worker dies (a
native crash, the kernel's out-of-memory killer, someone killing it), the job
raises ``WorkerCrashed``: a ``PartitaError`` whose one line says what
happened; the project the window shows was never in that process.

``WorkerPool`` keeps up to ``size`` workers warm for ``idle_seconds`` after a
task, so a second infill skips interpreter start-up, torch's import and the
model load (modules cache what they load per process). Lifecycle of a worker:
spawned on demand -> runs one task at a time -> idle (reused) -> closed when
idle too long, on ``shutdown()``, or discarded after a crash or a cancel it
did not honour within ``cancel_grace`` seconds.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from app import shared_arrays
from app.errors import PartitaError
from engines.common import CancelToken, Cancelled, Progress

POLL_SECONDS = 0.05
"""How often the job thread looks at the worker while waiting for a message."""
PREWARM_WAIT = 120.0
"""Longest a job waits for a worker that is warming up before it starts another."""


class WorkerCrashed(PartitaError):
    """The worker process ended without an answer (crash, out of memory, killed)."""


class WorkerError(Exception):
    """An unexpected exception inside a worker task; ``detail`` is its traceback there."""

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.detail = detail

    def __reduce__(self) -> tuple[Any, ...]:
        return (WorkerError, (str(self), self.detail))


class InWorker:
    """A job's work that runs ``target`` ("module:function") with ``kwargs`` in a worker process."""

    def __init__(self, target: str, **kwargs: Any) -> None:
        self.target, self.kwargs = target, kwargs

    def __repr__(self) -> str:
        return f"InWorker({self.target!r}, {', '.join(self.kwargs)})"

    def __call__(self, progress: Progress, cancel: CancelToken) -> Any:
        return default_pool().run(self, progress, cancel)


class Worker:
    """One worker process and the parent's end of its socket."""

    def __init__(self) -> None:
        parent, child = socket.socketpair()
        env = dict(os.environ)
        root = str(Path(__file__).resolve().parents[1])
        env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        self.process = subprocess.Popen([sys.executable, "-m", "app.worker_main", str(child.fileno())],
                                        pass_fds=(child.fileno(),), env=env, stdin=subprocess.DEVNULL)
        child.close()
        self.conn = Connection(parent.detach())
        self.segments: list[Path] = []
        self.idle_since = time.monotonic()

    @property
    def pid(self) -> int:
        return self.process.pid

    def send(self, message: tuple[Any, ...]) -> None:
        """Send ``message`` (its big arrays through shared memory, see ``app.shared_arrays``)."""
        data, segments = shared_arrays.dumps(message, owner_pid=os.getpid())
        self.segments += segments
        self.conn.send_bytes(data)

    def receive(self) -> tuple[Any, ...]:
        return shared_arrays.loads(self.conn.recv_bytes())

    def forget_segments(self) -> None:
        """Remove shared segments sent to this worker that it never read, and any it left half-written."""
        shared_arrays.unlink_all(self.segments)
        self.segments = []
        if not self.alive():
            shared_arrays.discard(os.getpid(), self.pid)

    def alive(self) -> bool:
        return self.process.poll() is None

    def close(self) -> None:
        """Ask the worker to exit; kill it if it does not within a second."""
        try:
            self.send(("exit",))
        except OSError:
            pass
        try:
            self.process.wait(1.0)
        except subprocess.TimeoutExpired:
            self.kill()
        self.conn.close()

    def kill(self) -> None:
        if self.alive():
            self.process.kill()
        self.process.wait()


def describe_exit(code: int | None) -> str:
    """What a worker's exit status means, for the job's message."""
    if code is not None and code < 0:
        name = signal.Signals(-code).name if -code in signal.Signals._value2member_map_ else str(-code)
        hint = " — out of memory, or killed" if -code == signal.SIGKILL else ""
        return f"killed by {name}{hint}"
    return f"exited with status {code}"


class WorkerPool:
    """Up to ``size`` warm workers; ``run`` borrows one per task (see the module docstring)."""

    def __init__(self, *, size: int = 2, idle_seconds: float = 300.0, cancel_grace: float = 10.0) -> None:
        self.size, self.idle_seconds, self.cancel_grace = size, idle_seconds, cancel_grace
        self._idle: list[Worker] = []
        self._busy: set[Worker] = set()
        self._warming = 0
        self._closed = False
        self._lock = threading.Condition()

    def busy_pids(self) -> list[int]:
        with self._lock:
            return [w.pid for w in self._busy]

    def prewarm(self, task: InWorker) -> bool:
        """Start a worker now and run ``task`` in it (e.g. load a model) while the user is still
        choosing; the next ``run`` takes it (waiting for it rather than starting another).
        Returns False (and does nothing) when a worker is already idle or warming."""
        with self._lock:
            if self._warming or any(w.alive() for w in self._idle):
                return False
            self._warming += 1
        threading.Thread(target=self._warm, args=(task,), name="partita-prewarm", daemon=True).start()
        return True

    def _warm(self, task: InWorker) -> None:
        worker, healthy = None, False
        try:
            worker = Worker()
            worker.send(("task", task.target, task.kwargs))
            healthy = self._pump(worker, lambda fraction, message="": None, CancelToken())[0] == "done"
        except (PartitaError, Cancelled, OSError):
            healthy = False
        finally:
            if worker is not None:  # idle before the count drops: a waiting run takes this one
                self._release(worker, healthy=healthy)
            with self._lock:
                self._warming -= 1
                self._lock.notify_all()

    def _acquire(self, cancel: CancelToken) -> Worker:
        with self._lock:
            deadline = time.monotonic() + PREWARM_WAIT
            while self._warming and not any(w.alive() for w in self._idle) and time.monotonic() < deadline:
                self._lock.wait(POLL_SECONDS)
                cancel.check()
            now = time.monotonic()
            stale = [w for w in self._idle if now - w.idle_since > self.idle_seconds or not w.alive()]
            self._idle = [w for w in self._idle if w not in stale]
            worker = self._idle.pop() if self._idle else None
        for old in stale:
            old.close()
        worker = worker or Worker()
        with self._lock:
            self._busy.add(worker)
        return worker

    def _release(self, worker: Worker, *, healthy: bool) -> None:
        worker.forget_segments()
        with self._lock:
            self._busy.discard(worker)
            keep = healthy and not self._closed and worker.alive() and len(self._idle) < self.size
            if keep:
                worker.idle_since = time.monotonic()
                self._idle.append(worker)
            self._lock.notify_all()
        if keep:
            return
        if worker.alive():
            worker.close()
        else:
            worker.kill()

    def run(self, task: InWorker, progress: Progress, cancel: CancelToken) -> Any:
        """Run ``task`` in a worker; returns its result or raises what it raised (see module doc)."""
        cancel.check()
        worker = self._acquire(cancel)
        healthy = False
        try:
            worker.send(("task", task.target, task.kwargs))
            kind, payload = self._pump(worker, progress, cancel)
            healthy = True  # it answered: it can serve the next task
        finally:
            self._release(worker, healthy=healthy)
        if kind == "cancelled":
            raise Cancelled("cancelled")
        if kind == "error":
            raise payload
        return payload

    def _pump(self, worker: Worker, progress: Progress, cancel: CancelToken) -> tuple[str, Any]:
        """Relay progress and cancel until the task's answer: ("done", result), ("cancelled", None)
        or ("error", exception); raises when the worker dies or ignores a cancel."""
        asked_at: float | None = None
        while True:
            if cancel.cancelled and asked_at is None:
                asked_at = time.monotonic()
                _send_quietly(worker, ("cancel",))
            if asked_at is not None and time.monotonic() - asked_at > self.cancel_grace:
                worker.kill()
                raise Cancelled("cancelled (the engine did not stop in time, its worker was stopped)")
            if not _ready(worker):
                if not worker.alive():
                    raise WorkerCrashed(f"the engine's worker process stopped unexpectedly "
                                        f"({describe_exit(worker.process.wait())}); the project was not changed")
                continue
            kind, *rest = _receive(worker)
            if kind == "progress":
                progress(*rest)
            else:
                return kind, (rest[0] if rest else None)

    def shutdown(self) -> None:
        """Close idle workers and kill busy ones (their jobs fail)."""
        with self._lock:
            idle, busy = self._idle, list(self._busy)
            self._idle, self._closed = [], True
        for worker in idle:
            worker.close()
        for worker in busy:
            worker.kill()


def _ready(worker: Worker) -> bool:
    try:
        return worker.conn.poll(POLL_SECONDS)
    except OSError:
        return False


def _receive(worker: Worker) -> tuple[Any, ...]:
    try:
        return worker.receive()
    except (EOFError, OSError):
        code = worker.process.wait()
        raise WorkerCrashed(f"the engine's worker process stopped unexpectedly ({describe_exit(code)}); "
                            "the project was not changed") from None


def _send_quietly(worker: Worker, message: tuple[Any, ...]) -> None:
    try:
        worker.send(message)
    except OSError:
        pass


_pool: list[WorkerPool] = []
_pool_lock = threading.Lock()


def default_pool() -> WorkerPool:
    """The process-wide pool (made on first use)."""
    with _pool_lock:
        if not _pool:
            _pool.append(WorkerPool())
        return _pool[0]


def shutdown_default_pool() -> None:
    with _pool_lock:
        pools = list(_pool)
        _pool.clear()
    for pool in pools:
        pool.shutdown()
