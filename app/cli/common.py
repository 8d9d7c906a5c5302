"""Helpers shared by subcommands: progress on stderr, loading inputs, saving outputs."""
from __future__ import annotations

import sys
import time
from pathlib import Path

from app.errors import InputError, PartitaError
from app.project import Project


class StderrProgress:
    """A ``Progress`` callback: a bar on a terminal, a line per 10% otherwise."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.tty = sys.stderr.isatty()
        self.last_step = -1
        self.started = time.monotonic()

    def __call__(self, fraction: float, message: str = "") -> None:
        fraction = min(1.0, max(0.0, fraction))
        if self.tty:
            bar = "#" * int(fraction * 30)
            sys.stderr.write(f"\r{self.label} [{bar:<30}] {fraction:4.0%} {message[:40]:<40}")
            if fraction >= 1.0:
                sys.stderr.write("\n")
            sys.stderr.flush()
            return
        step = int(fraction * 10)
        if step > self.last_step:
            self.last_step = step
            print(f"{self.label}: {fraction:.0%} {message}".rstrip(), file=sys.stderr)


def load_input_project(path: str) -> Project:
    """A project from a .partita, MIDI or audio file (the file is only read)."""
    from app.importing import project_from_file

    return project_from_file(path)


def existing_file(path: str) -> Path:
    p = Path(path)
    if not p.exists():
        raise InputError(f"{path}: no such file")
    if p.is_dir():
        raise InputError(f"{path}: is a folder, not a file")
    return p


def output_path(path: str, *, suffixes: tuple[str, ...]) -> Path:
    p = Path(path)
    if p.suffix.lower() not in suffixes:
        raise PartitaError(f"{path}: the output must end in {' or '.join(suffixes)}")
    if p.is_dir():
        raise PartitaError(f"{path}: is a folder")
    if not p.parent.exists():
        raise PartitaError(f"{p.parent}: no such folder for the output")
    return p
