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
from types import ModuleType
from typing import Sequence

from app.errors import PartitaError

COMMANDS = [
    "new", "import", "info", "export", "render", "controls", "infill", "generate", "separate", "transcribe",
    "apply", "edit", "train", "models",
]
"""Subcommands of the core (``app.cli.cmd_<name>``). ``open`` (the window) belongs to
``ui`` and is added by the installed ``partita`` script (``ui.cli``)."""


class UsageError(PartitaError):
    """Bad command-line usage."""


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one ``partita: error:`` line and exit 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{message} (see `{self.prog} --help`)")


def build_parser(extra: Sequence[ModuleType] = ()) -> Parser:
    """The parser with the core subcommands and ``extra`` modules (each with ``register``)."""
    parser = Parser(prog="partita", description="Partita: sketch, infill, render and "
                    "export multi-track music for your DAW. With no command, opens the "
                    "window on the demo project.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    modules = list(extra) + [importlib.import_module(f"app.cli.cmd_{n}") for n in COMMANDS]
    for module in modules:
        module.register(sub)
    return parser


def fail(message: str) -> int:
    print(f"partita: error: {message}", file=sys.stderr)
    return 2


def main(argv: Sequence[str] | None = None, *, extra: Sequence[ModuleType] = ()) -> int:
    """Run the command line; ``extra`` adds subcommand modules (the window's ``open``).

    With no command, runs the first ``extra`` module's ``DEFAULT_COMMAND`` (the
    installed ``partita`` opens the window), else prints the help.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        parser = build_parser(extra)
        default = [m.DEFAULT_COMMAND for m in extra if getattr(m, "DEFAULT_COMMAND", None)][:1]
        args = parser.parse_args(argv or default or ["--help"])
        if args.command is None and default:
            args = parser.parse_args(default + argv)
        if args.command is None:
            parser.print_help()
            return 0
        return int(args.func(args) or 0)
    except PartitaError as exc:
        return fail(str(exc))
    except KeyboardInterrupt:
        return fail("interrupted")
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
