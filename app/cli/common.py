"""Helpers shared by subcommands: progress on stderr, loading inputs, saving outputs."""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from app.errors import InputError, PartitaError
from app.project import Project

if TYPE_CHECKING:
    from app.exporting import ExportRequest
    from engines.render import SoundFont


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


def add_wav_arguments(p: argparse.ArgumentParser) -> None:
    """--sample-rate, --bit-depth and --soundfont, for the commands that write WAV files."""
    from engines.render.config import SAMPLE_RATES

    p.add_argument("--sample-rate", type=int, choices=SAMPLE_RATES, default=SAMPLE_RATES[0],
                   help=f"sample rate of WAV output in Hz (default {SAMPLE_RATES[0]})")
    p.add_argument("--bit-depth", choices=("16", "24", "32f"), default="24",
                   help="WAV sample format: 16 (dithered), 24 (default) or 32f (32-bit float)")
    p.add_argument("--soundfont", metavar="FILE|none",
                   help="render MIDI tracks through this .sf2/.sf3 file, or 'none' for the "
                   "built-in synthesiser (default: $PARTITA_SOUNDFONT, else a SoundFont "
                   "found in ~/.local/share/partita/soundfonts or /usr/share/sounds/sf2, "
                   "else the built-in synthesiser)")


def sound_font_choice(choice: str | None) -> SoundFont | str | None:
    """What --soundfont asks for: AUTO when not given, None for the built-in synth, else the font."""
    from app.mixdown import AUTO
    from app.soundfonts import DISABLED, load_soundfont

    if choice is None:
        return AUTO
    if choice.strip().lower() in DISABLED:
        return None
    if not Path(choice).is_file():
        raise PartitaError(f"{choice}: no such SoundFont file (or pass --soundfont none)")
    return load_soundfont(choice)


def run_export(project: Project, request: ExportRequest) -> int:
    """Export with progress on stderr; say which synthesiser played and list the files."""
    from app.exporting import export

    result = export(project, request, progress=StderrProgress("rendering"))
    for note in result.notes:
        print(f"partita: {note}", file=sys.stderr)
    if result.backend:
        print(f"partita: played by {_describe(result.backend)}", file=sys.stderr)
    for path in result.written:
        print(f"wrote {path}")
    return 0


def _describe(backend: str) -> str:
    names = backend.split(" + ")
    return " and ".join(f"the SoundFont {n.split(':', 1)[1]}" if n.startswith("soundfont:")
                        else "the built-in synthesiser" for n in names)
