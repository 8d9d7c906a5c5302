"""``partita open [FILE]``: the window on a project, MIDI or audio file (default: the demo)."""
from __future__ import annotations

import argparse
from pathlib import Path

from app.errors import InputError

DEFAULT_COMMAND = "open"
"""A bare ``partita`` opens the window."""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "open", help="open the window on a project, MIDI or audio file",
        description="Open the Partita window. With no FILE, opens the demo project "
                    "(or a new empty project when the demo is not installed).")
    parser.add_argument("file", nargs="?", metavar="FILE",
                        help="a .partita project, a MIDI file (.mid) or an audio file "
                             "(.wav, .flac, .ogg, .mp3) to open; MIDI and audio open as a new "
                             "unsaved project")
    parser.add_argument("--no-recovery", action="store_true",
                        help="do not offer to recover unsaved work from a crashed session")
    parser.set_defaults(func=run)


def demo_path() -> Path:
    import resources

    return resources.ROOT / "demo" / "demo.partita"


def check_display() -> None:
    """A clear error, not Qt's abort, when a Linux session has no screen for the window."""
    import os
    import sys

    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        raise InputError("no screen to open the window on ($DISPLAY and $WAYLAND_DISPLAY are not "
                         "set): start partita in a desktop session; the other commands need none "
                         "(see `partita --help`)")


def run(args: argparse.Namespace) -> int:
    from app.document import Document

    check_display()
    path = None
    if args.file is not None:
        path = Path(args.file)
        if not path.is_file():
            raise InputError(f"{path}: no such file")
        document = Document.open(path, detect=False)  # the window detects a song's grid in a job
    elif demo_path().is_file():
        document = Document.open(demo_path())
    else:
        document = Document.new(name="Untitled", length_bars=16)
    from ui.app import run as run_window

    return run_window(document, recover=not args.no_recovery, opened_from=path)
