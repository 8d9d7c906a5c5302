"""The ``partita`` command (see CONTRACT.md).

Each subcommand lives in its own module ``app/cli/cmd_<name>.py`` exposing
``register(subparsers)``, which adds a parser whose ``func`` default takes the
parsed ``argparse.Namespace`` and returns an exit code. Add a module's name to
``COMMANDS`` to enable it. Modules import their heavy dependencies inside
``func`` so ``partita --help`` stays fast.

Exit codes: 0 success; 2 bad input or usage, with one ``partita: error:`` line
on stderr; 1 only for a bug (the traceback is printed then).
"""
from __future__ import annotations

import argparse
import importlib
import sys
from typing import Sequence

from app.errors import PartitaError

COMMANDS = [
    "open", "new", "import", "info", "export", "render", "controls", "infill", "train", "models",
]


class UsageError(PartitaError):
    """Bad command-line usage."""


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one ``partita: error:`` line and exit 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{message} (see `{self.prog} --help`)")


def build_parser() -> Parser:
    parser = Parser(prog="partita", description="Partita: sketch, infill, render and "
                    "export multi-track music for your DAW. With no command, opens the "
                    "window on the demo project.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for name in COMMANDS:
        importlib.import_module(f"app.cli.cmd_{name}").register(sub)
    return parser


def fail(message: str) -> int:
    print(f"partita: error: {message}", file=sys.stderr)
    return 2


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        args = build_parser().parse_args(argv or ["open"])
        if args.command is None:
            args = build_parser().parse_args(["open", *argv])
        return int(args.func(args) or 0)
    except PartitaError as exc:
        return fail(str(exc))
    except KeyboardInterrupt:
        return fail("interrupted")
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
