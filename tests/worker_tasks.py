"""Fake engine work for the job and worker tests: module-level so a worker process can import it."""
from __future__ import annotations

import os
import time

from app.commands import AddNotes
from app.errors import InputError
from app.project import Note
from engines.common import CancelToken, Progress


def slow(*, track_id: str, seconds: float, steps: int = 20, progress: Progress,
         cancel: CancelToken) -> AddNotes:
    """``steps`` chunks over ``seconds``, checking cancel between them; one note per chunk."""
    for i in range(steps):
        cancel.check()
        time.sleep(seconds / steps)
        progress((i + 1) / steps, f"chunk {i + 1} of {steps} in pid {os.getpid()}")
    return AddNotes(track_id, [Note(60 + i % 12, 480 * i, 240, 90) for i in range(steps)])


def pid(*, progress: Progress, cancel: CancelToken) -> int:
    return os.getpid()


def stubborn(*, seconds: float, progress: Progress, cancel: CancelToken) -> None:
    """Ignores cancel (a native call that never returns to Python) for ``seconds``."""
    progress(0.1, "stuck in native code")
    time.sleep(seconds)


def refuse(*, progress: Progress, cancel: CancelToken) -> None:
    raise InputError("song.wav: not a readable audio file")


def bug(*, progress: Progress, cancel: CancelToken) -> None:
    return {"a": 1}["b"]  # type: ignore[return-value]


def crash(*, progress: Progress, cancel: CancelToken) -> None:
    """Dies in native code: a segmentation fault, as a broken C extension would."""
    import ctypes

    progress(0.5, "about to crash")
    ctypes.string_at(0)


_WARMED: list[float] = []


def slow_start(*, seconds: float, progress: Progress, cancel: CancelToken) -> None:
    """A warm-up that takes ``seconds`` (as importing torch and loading a model does)."""
    time.sleep(seconds)
    _WARMED.append(seconds)


def warmed(*, progress: Progress, cancel: CancelToken) -> int:
    """This worker's pid, if it ran ``slow_start`` before; else an error."""
    if not _WARMED:
        raise InputError("this worker was not warmed up")
    return os.getpid()


def stems(*, audio, progress: Progress, cancel: CancelToken) -> list:
    """Four "stems" of the input, as a separator returns them (big arrays both ways)."""
    import numpy as np

    return [np.asarray(audio) * (i + 1) for i in range(4)] + [np.arange(5)]


def big_then_crash(*, progress: Progress, cancel: CancelToken) -> None:
    """Writes a big result's shared memory, then dies before the parent reads it."""
    import numpy as np

    from app import shared_arrays

    shared_arrays.dumps(("done", np.ones(1 << 20, np.float32)), owner_pid=os.getppid())
    os.kill(os.getpid(), 9)
