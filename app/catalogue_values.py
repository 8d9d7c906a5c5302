"""Text to typed values for catalogue parameters (``app.catalogue.TYPES``), one rule per type.

The command line, the window's dialogs and the instruction planner all parse
what a user typed through ``parse``, so "Lead,bass", "3-4", "D:minor" and
"6/8" mean the same everywhere. Errors are one-line ``PartitaError``s that
name the option.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from app.catalogue import Param, check_value
from app.errors import PartitaError

if TYPE_CHECKING:
    from app.project import Project

TRUE, FALSE = ("1", "yes", "true", "on"), ("0", "no", "false", "off")


def parse(param: Param, text: str, project: "Project | None" = None) -> Any:
    """The value of ``param`` for ``text`` (see the module docstring)."""
    text = str(text).strip()
    kind = param.type
    if kind in ("int", "float", "seconds"):
        return check_value(param, _number(param, text, int if kind == "int" else float))
    if kind == "bool":
        if text.lower() not in TRUE + FALSE:
            raise PartitaError(f"{param.flag} is yes or no (not {text!r})")
        return text.lower() in TRUE
    if kind in ("text", "file", "choice"):
        return check_value(param, text)
    if kind in ("track", "tracks"):
        ids = _tracks(param, text, _need(project, param))
        return ids if kind == "tracks" else ids[0]
    if kind == "bars":
        from app.infill import parse_bars

        return parse_bars(text, _need(project, param))
    if kind == "key":
        return _checked(param, text, "app.project:parse_key")
    if kind == "meter":
        return _checked(param, text, "app.project:TimeSignature.parse")
    raise PartitaError(f"{param.flag}: unknown parameter type {kind!r}")


def _number(param: Param, text: str, kind: type) -> float | int:
    try:
        return kind(text)
    except ValueError:
        word = "a whole number" if kind is int else "a number"
        raise PartitaError(f"{param.flag} must be {word} (not {text!r})") from None


def _need(project: "Project | None", param: Param) -> "Project":
    if project is None:
        raise PartitaError(f"{param.flag} needs a project to look in")
    return project


def _tracks(param: Param, text: str, project: "Project") -> tuple[str, ...]:
    names = [n.strip() for n in text.split(",") if n.strip()]
    if not names or (param.type == "track" and len(names) > 1):
        raise PartitaError(f"{param.flag} names {'one track' if param.type == 'track' else 'tracks'}, "
                           f"e.g. {project.tracks[0].name if project.tracks else 'Lead'}")
    ids = []
    for name in names:
        try:
            ids.append(project.track_named(name).id)
        except KeyError:
            have = ", ".join(t.name for t in project.tracks) or "none"
            raise PartitaError(f"{param.flag}: no track named {name!r} (tracks: {have})") from None
    return tuple(dict.fromkeys(ids))


def _checked(param: Param, text: str, where: str) -> str:
    """``text`` once the parser at ``where`` accepts it (the command takes the text)."""
    import importlib

    module, _, path = where.partition(":")
    obj: Any = importlib.import_module(module)
    for part in path.split("."):
        obj = getattr(obj, part)
    try:
        if obj(text) is None:
            raise ValueError(f"{text!r} names nothing")
    except ValueError as exc:
        raise PartitaError(f"{param.flag}: {exc}") from None
    return text
