"""The installed ``partita`` command: the core's subcommands plus ``open`` (the window).

Nothing here imports Qt; ``partita open`` imports the window only when it runs.
"""
from __future__ import annotations

import sys
from typing import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    from app.cli import main as core_main
    from ui import cmd_open

    return core_main(argv, extra=[cmd_open])


if __name__ == "__main__":
    sys.exit(main())
