"""``partita apply OPERATION PROJECT -o OUT.partita [--PARAM VALUE ...]``: one catalogue edit.

The operations and their options are drawn from ``app.catalogue`` (every
entry whose ``cli`` is "apply NAME"), so the command line takes exactly the
parameters, ranges and choices the window's dialogs offer.
"""
from __future__ import annotations

import argparse
from typing import Any

from app.errors import PartitaError

PREFIX = "apply "


def register(sub: argparse._SubParsersAction) -> None:
    from app.catalogue import operations

    p = sub.add_parser(
        "apply", help="apply one edit (transpose, quantise, tempo, key, mute, ...) to a project",
        description="Apply one edit from Partita's operation catalogue to a project and write the "
        "result. The same edits are in the window's Edit and Track menus. The input is never "
        "changed unless it is also the output.")
    ops = p.add_subparsers(dest="operation", metavar="OPERATION", required=True, parser_class=type(p))
    for op in operations().values():
        if op.cli and op.cli.startswith(PREFIX) and op.build:
            _add(ops, op)


def _add(ops: argparse._SubParsersAction, op: Any) -> None:
    sp = ops.add_parser(op.cli[len(PREFIX):], help=op.summary, description=f"{op.title}: {op.summary}.")
    sp.add_argument("project", metavar="PROJECT", help=".partita project (or a MIDI file) to read")
    sp.add_argument("-o", "--output", metavar="OUT.partita", required=True, help="the project to write")
    for param in op.params:
        sp.add_argument(param.flag, dest=param.name, metavar=_metavar(param), required=param.required,
                        help=_help(param))
    sp.set_defaults(func=run, op_name=op.name)


def _metavar(param: Any) -> str:
    if param.choices:
        return "{" + ",".join(param.choices) + "}"
    return {"tracks": "NAME[,NAME]", "track": "NAME", "bars": "A-B", "bool": "yes|no", "key": "KEY",
            "meter": "N/D", "seconds": "SECONDS"}.get(param.type, param.type.upper())


def _help(param: Any) -> str:
    extra = []
    if param.range is not None:
        extra.append(f"{param.range[0]:g} to {param.range[1]:g}")
    if param.default is not None:
        extra.append(f"default {param.default}")
    return param.help + (f" ({'; '.join(extra)})" if extra else "")


def run(args: argparse.Namespace) -> int:
    from app.catalogue import get, parse_value
    from app.cli.common import existing_file, load_input_project, output_path
    from app.projectfile import save_project

    op = get(args.op_name)
    existing_file(args.project)
    out = output_path(args.output, suffixes=(".partita",))
    project = load_input_project(args.project)
    values = {p.name: parse_value(p, getattr(args, p.name), project)
              for p in op.params if getattr(args, p.name) is not None}
    command = op.command(project, values)
    try:
        command.do(project)
    except (ValueError, KeyError) as exc:
        raise PartitaError(f"{op.name}: {exc.args[0] if exc.args else exc}") from None
    save_project(project, out)
    print(f"{command.label}: wrote {out}")
    return 0
