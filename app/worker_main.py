"""The worker process: ``python -m app.worker_main FD`` serves tasks from ``app.workers`` over socket FD.

Messages in: ("task", "module:function", kwargs), ("cancel",), ("exit",).
Messages out, per task: any number of ("progress", fraction, message) (at most
every ``PROGRESS_SECONDS``, and always the last), then exactly one of
("done", result), ("cancelled",) or ("error", WorkerError | PartitaError).
A reader thread takes messages in, so a cancel arrives while the task runs
(it sets the task's ``CancelToken``). Ctrl-C in a terminal is the parent's to
handle: the worker ignores SIGINT. Anything the engine prints goes to stderr.
"""
from __future__ import annotations

import importlib
import os
import queue
import signal
import sys
import threading
import time
import traceback
from multiprocessing.connection import Connection
from typing import Any

from app import shared_arrays
from app.errors import PartitaError
from app.workers import WorkerError
from engines.common import CancelToken, Cancelled, Progress

PROGRESS_SECONDS = 0.05


def _reader(conn: Connection, tasks: "queue.Queue[tuple[Any, ...]]", state: dict[str, CancelToken]) -> None:
    while True:
        try:
            message = shared_arrays.loads(conn.recv_bytes())
        except (EOFError, OSError):  # the parent is gone: stop the task, then exit
            state["token"].cancel()
            message = ("exit",)
        if message[0] == "cancel":
            state["token"].cancel()
            continue
        if message[0] == "task":  # the task's token exists before a cancel for it can arrive
            state["token"] = CancelToken()
            message = (*message, state["token"])
        tasks.put(message)
        if message[0] == "exit":
            return


def _progress_sender(conn: Connection) -> Progress:
    """A ``Progress`` that sends at most every ``PROGRESS_SECONDS`` (and always the end)."""
    last = [0.0]

    def progress(fraction: float, message: str = "") -> None:
        now = time.monotonic()
        if fraction >= 1.0 or now - last[0] >= PROGRESS_SECONDS:
            last[0] = now
            send(conn, ("progress", float(fraction), str(message)))

    return progress


def run_task(conn: Connection, target: str, kwargs: dict[str, Any], token: CancelToken) -> None:
    """Run one task and send its one answer."""
    try:
        module, _, name = target.partition(":")
        function = getattr(importlib.import_module(module), name)
        result = function(**kwargs, progress=_progress_sender(conn), cancel=token)
        answer: tuple[Any, ...] = ("done", result)
    except Cancelled:
        answer = ("cancelled",)
    except PartitaError as exc:
        answer = ("error", PartitaError(str(exc)))
    except Exception as exc:  # reported to the job, which fails with it
        answer = ("error", WorkerError(f"{type(exc).__name__}: {exc}", traceback.format_exc()))
    try:
        send(conn, answer)
    except Exception as exc:  # the result did not pickle
        send(conn, ("error", WorkerError(f"the engine's result could not be sent back: {exc}")))


def send(conn: Connection, message: tuple[Any, ...]) -> None:
    """One message to the parent; big arrays in shared memory named for the parent."""
    conn.send_bytes(shared_arrays.dumps(message, owner_pid=os.getppid())[0])


def serve(conn: Connection) -> None:
    tasks: queue.Queue[tuple[Any, ...]] = queue.Queue()
    state = {"token": CancelToken()}
    threading.Thread(target=_reader, args=(conn, tasks, state), daemon=True).start()
    while True:
        message = tasks.get()
        if message[0] == "exit":
            return
        _, target, kwargs, token = message
        run_task(conn, target, kwargs, token)


def main() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    fd = int(sys.argv[1])
    os.dup2(2, 1)  # engine prints go to stderr; the socket is the only channel
    serve(Connection(fd))


if __name__ == "__main__":
    main()
