"""Messages between Partita and its worker processes, with large arrays in shared memory.

``dumps`` pickles a message; every numpy array of at least ``MIN_SHARED``
bytes is written to its own file in ``/dev/shm`` (memory, not disk; the temp
folder where there is none or it is full) and only its name, shape and dtype go into the
pickle. ``loads`` maps each file, deletes its name at once and gives an array
over the mapping: no second copy, and the memory is freed with the array. A
10-minute stereo stem (212 MB) crosses in one memory copy instead of pickling
through a socket (two copies and the socket's).

Segments are named ``partita-OWNER-WRITER-N``: OWNER the main process, WRITER
the process that wrote it. A sender keeps the paths ``dumps`` returns and may
delete the ones still there once the receiver is done or dead (they were
never read); ``discard(owner, writer)`` removes what a crashed writer left.
"""
from __future__ import annotations

import io
import mmap
import os
import pickle
import tempfile
from itertools import count
from pathlib import Path
from typing import Any

import numpy as np

MIN_SHARED = 1 << 20
"""Arrays this big (bytes) or bigger travel in shared memory."""
_serial = count()


def folders() -> list[Path]:
    """Where segments may go: ``/dev/shm`` (memory) when there is one, then the temp folder."""
    shm = Path("/dev/shm")
    first = [shm] if shm.is_dir() and os.access(shm, os.W_OK) else []
    return first + [Path(tempfile.gettempdir())]


def folder_for(nbytes: int) -> Path:
    """The first of ``folders()`` with room for ``nbytes`` (a container's /dev/shm may be 64 MB)."""
    for place in folders():
        stat = os.statvfs(place)
        if stat.f_bavail * stat.f_frsize > 2 * nbytes:
            return place
    return folders()[-1]


def prefix(owner_pid: int, writer_pid: int) -> str:
    return f"partita-{owner_pid}-{writer_pid}-"


class _Pickler(pickle.Pickler):
    def __init__(self, file: io.BytesIO, owner_pid: int) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.owner_pid = owner_pid
        self.written: list[Path] = []

    def persistent_id(self, obj: Any) -> Any:
        if type(obj) is not np.ndarray or obj.nbytes < MIN_SHARED or obj.dtype.hasobject:
            return None
        data = np.ascontiguousarray(obj)
        path = folder_for(data.nbytes) / f"{prefix(self.owner_pid, os.getpid())}{next(_serial)}"
        with open(path, "xb") as fh:
            self.written.append(path)
            fh.write(data.data)
        return ("shared", str(path), data.shape, data.dtype.str)


class _Unpickler(pickle.Unpickler):
    def persistent_load(self, pid: Any) -> np.ndarray:
        _, path, shape, dtype = pid
        fd = os.open(path, os.O_RDWR)
        try:
            mapping = mmap.mmap(fd, os.fstat(fd).st_size)
        finally:
            os.close(fd)
            os.unlink(path)
        return np.frombuffer(mapping, dtype=np.dtype(dtype)).reshape(shape)


def dumps(message: Any, *, owner_pid: int) -> tuple[bytes, list[Path]]:
    """(``message`` as bytes, the shared segments written for it); the segments are the
    receiver's once it loads the bytes. A failed dump removes what it wrote."""
    buffer = io.BytesIO()
    pickler = _Pickler(buffer, owner_pid)
    try:
        pickler.dump(message)
    except BaseException:
        unlink_all(pickler.written)
        raise
    return buffer.getvalue(), pickler.written


def unlink_all(paths: list[Path]) -> None:
    """Delete the segments among ``paths`` still there (never read)."""
    for path in paths:
        path.unlink(missing_ok=True)


def loads(data: bytes) -> Any:
    """The message ``dumps`` wrote; its shared segments are mapped and their names removed."""
    return _Unpickler(io.BytesIO(data)).load()


def discard(owner_pid: int, writer_pid: int) -> int:
    """Remove the segments ``writer_pid`` wrote for ``owner_pid`` that nobody read; returns how many."""
    gone = [p for place in folders() for p in place.glob(f"{prefix(owner_pid, writer_pid)}*")]
    unlink_all(gone)
    return len(gone)
