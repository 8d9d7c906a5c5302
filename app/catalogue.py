"""The operation catalogue: every user-level operation described once.

An ``Operation`` names what a user can do (extract controls, infill,
transpose, ...), its typed ``Param``s (with ranges or choices and help), what
it reads and what it changes, where it lives on the command line (``cli``,
e.g. "infill" or "apply transpose") and in the window's menus (``menu``,
e.g. "Engines/Infill…"). An operation that exists in only one of the two
says why in ``why_not``. The window's menus, ``partita apply`` and the
instruction planner draw from here, and a test walks the catalogue against
the real menus and subcommands, so they cannot drift apart.

Small edits have a ``build``: "module:function" of a function
``f(project, **values) -> app.commands.Command`` (see ``app.operations``),
called with values parsed by ``parse_value``. The entries themselves are in
``app/catalogue_entries.py`` (engine owners add theirs there).
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

from app.errors import PartitaError

if TYPE_CHECKING:
    from app.commands import Command
    from app.project import Project

TYPES = ("int", "float", "bool", "text", "choice", "track", "tracks", "bars", "key", "meter", "file",
         "seconds")
"""Param types: ``track``/``tracks`` are track names (case-insensitive; a value is the track id),
``bars`` "A-B" 1-based inclusive (a value is (A, B)), ``key`` "C:minor", ``meter`` "3/4",
``seconds`` a time from 0:00, ``file`` a path."""
SUBJECTS = ("notes", "tracks", "audio", "curves", "song", "file", "model")
"""What an operation reads or changes: notes, the track list and track settings, audio
samples, control curves, tempo/key/meter/length ("song"), files on disk, model weights."""


@dataclass(frozen=True)
class Param:
    """One typed parameter; ``default`` None with ``required`` False means "not given"."""

    name: str
    type: str
    help: str
    default: Any = None
    range: tuple[float, float] | None = None
    choices: tuple[str, ...] | None = None
    required: bool = False
    positional: bool = False
    """On the command line, a positional argument rather than ``--name``."""

    def __post_init__(self) -> None:
        if self.type not in TYPES:
            raise ValueError(f"param {self.name}: type {self.type!r} is not one of {TYPES}")
        if self.type == "choice" and not self.choices:
            raise ValueError(f"param {self.name}: a choice needs choices")

    @property
    def flag(self) -> str:
        """The command-line option, e.g. "--scale-lock"."""
        return "--" + self.name.replace("_", "-")


@dataclass(frozen=True)
class Operation:
    """One user-level operation; see the module docstring."""

    name: str
    title: str
    summary: str
    params: tuple[Param, ...]
    reads: tuple[str, ...]
    changes: tuple[str, ...]
    cli: str | None
    menu: str | None
    why_not: str = ""
    build: str | None = None
    engine: str | None = None
    """The engine package it runs (``engines.<engine>``), None for plain edits."""

    def __post_init__(self) -> None:
        for subject in self.reads + self.changes:
            if subject not in SUBJECTS:
                raise ValueError(f"operation {self.name}: {subject!r} is not one of {SUBJECTS}")
        if (self.cli is None or self.menu is None) and not self.why_not:
            raise ValueError(f"operation {self.name} lacks a CLI command or menu entry and says not why")

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(f"operation {self.name} has no parameter {name!r}")

    def builder(self) -> Callable[..., "Command"]:
        """The function that turns a project and parsed values into one command."""
        if self.build is None:
            raise PartitaError(f"{self.name} is not a plain edit: it runs as {self.cli or self.menu}")
        module, _, func = self.build.partition(":")
        return getattr(importlib.import_module(module), func)

    def command(self, project: "Project", values: dict[str, Any]) -> "Command":
        """The undoable command for ``values`` (already parsed); errors are ``PartitaError``s."""
        try:
            return self.builder()(project, **values)
        except (ValueError, KeyError) as exc:  # KeyError's str() quotes its message: use the message
            raise PartitaError(f"{self.name}: {exc.args[0] if exc.args else exc}") from None


def operations() -> dict[str, Operation]:
    """Every operation by name, in catalogue order."""
    from app.catalogue_entries import ENTRIES

    return {op.name: op for op in ENTRIES}


def get(name: str) -> Operation:
    ops = operations()
    if name not in ops:
        raise PartitaError(f"no operation named {name!r}; operations: {', '.join(ops)}")
    return ops[name]


def parse_value(param: Param, text: str, project: "Project | None" = None) -> Any:
    """A user's text for ``param`` as the typed value its operation takes; PartitaError if invalid."""
    from app.catalogue_values import parse

    return parse(param, text, project)


def check_value(param: Param, value: Any) -> Any:
    """``value`` if it is inside the param's range or choices, else PartitaError."""
    if param.range is not None and value is not None and param.type in ("int", "float", "seconds"):
        low, high = param.range
        if not low <= value <= high:
            raise PartitaError(f"{param.flag} must be between {low:g} and {high:g} (not {value:g})")
    if param.choices is not None and value is not None and value not in param.choices:
        raise PartitaError(f"{param.flag} must be one of {', '.join(param.choices)} (not {value!r})")
    return value
