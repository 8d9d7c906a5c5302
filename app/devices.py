"""Where engines run: the device ("cpu" or "cuda") and how many CPU threads torch uses.

Policy, decided here and nowhere else:

- ``resolve_device("auto")`` is "cuda" when torch sees a GPU, else "cpu";
  "cpu" and "cuda" are taken as asked ("cuda" without a GPU is a
  ``PartitaError`` that says what to do). Engines take the result as their
  ``device: str`` keyword argument.
- Threads are set once per process, by ``configure_threads()``, before the
  first engine call (``resolve_device`` calls it, so every path that picks a
  device has the policy applied). Engines never call ``torch.set_num_threads``.
  The default is half the cores (at least one): on a shared or small machine
  one torch thread per physical core beats two fighting for it, and the GUI
  keeps a core. ``$PARTITA_THREADS`` overrides it.

Nothing here imports torch at module import time: ``import app`` stays fast.
"""
from __future__ import annotations

import argparse
import os
import threading

from app.errors import PartitaError

DEVICES = ("auto", "cpu", "cuda")
"""What a user may ask for: ``auto`` = the GPU when torch sees one."""
THREADS_ENV = "PARTITA_THREADS"

_lock = threading.Lock()
_threads: int | None = None


def default_threads() -> int:
    """Torch threads for this process: ``$PARTITA_THREADS``, else half the cores (at least 1)."""
    text = os.environ.get(THREADS_ENV, "").strip()
    if text:
        try:
            value = int(text)
        except ValueError:
            raise PartitaError(f"${THREADS_ENV}={text!r} is not a whole number of threads") from None
        if value < 1:
            raise PartitaError(f"${THREADS_ENV} must be at least 1 (it is {value})")
        return value
    return max(1, (os.cpu_count() or 2) // 2)


def configure_threads(threads: int | None = None) -> int:
    """Set torch's intra-op threads once for this process; returns the count in force.

    The first call decides (``threads`` or ``default_threads()``); later calls
    return that count and change nothing, so an engine call can never move a
    setting another part of the process relies on.
    """
    global _threads
    with _lock:
        if _threads is None:
            import torch

            _threads = threads if threads is not None else default_threads()
            torch.set_num_threads(_threads)
        return _threads


def threads_in_force() -> int | None:
    """The count ``configure_threads`` set, or None before the first call."""
    return _threads


def cuda_available() -> bool:
    import torch

    return bool(torch.cuda.is_available())


def resolve_device(name: str = "auto") -> str:
    """"cpu" or "cuda" for a user's choice of ``DEVICES`` (see the module docstring)."""
    if name not in DEVICES:
        raise PartitaError(f"device {name!r} is not one of {', '.join(DEVICES)}")
    configure_threads()
    if name == "auto":
        return "cuda" if cuda_available() else "cpu"
    if name == "cuda" and not cuda_available():
        raise PartitaError("the GPU (cuda) was asked for but torch sees none here; use --device cpu or auto "
                           "(in the window: Engines ▸ Run engines on)")
    return name


def describe(device: str) -> str:
    """A short human description, e.g. "cpu (2 threads)" or "cuda (NVIDIA H100)"."""
    if device == "cuda":
        import torch

        return f"cuda ({torch.cuda.get_device_name(0)})"
    return f"cpu ({configure_threads()} thread{'s' if configure_threads() != 1 else ''})"


def add_device_argument(parser: argparse.ArgumentParser, *, what: str = "run the model") -> None:
    """Add ``--device auto|cpu|cuda`` (default auto) to a command that runs a model."""
    parser.add_argument("--device", choices=DEVICES, default="auto",
                        help=f"where to {what}: auto = the GPU when torch sees one, else the CPU "
                        f"(default auto); CPU threads: ${THREADS_ENV}, else half the cores")
