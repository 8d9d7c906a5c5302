"""``partita edit PROJECT "INSTRUCTION" -o OUT.partita [--dry-run]``: an edit in plain English."""
from __future__ import annotations

import argparse

from app.errors import PartitaError


def register(sub: argparse._SubParsersAction) -> None:
    from app.devices import add_device_argument

    p = sub.add_parser(
        "edit", help="edit a project by a plain-English instruction",
        description="Carry out an instruction such as \"add a bass line in bars 1-4\", \"remove the drums\", "
        "\"make bars 2-3 louder\", \"transpose the lead up an octave\" or \"extract the vocals\" (several "
        "steps may be joined with 'and' or 'then'). The plan is printed first; the whole plan is applied "
        "as one edit, or not at all. An instruction Partita cannot carry out is refused with what it "
        "understood and what it can do instead (exit status 2). See the README for what it understands.")
    p.add_argument("project", metavar="PROJECT", help=".partita project (or a MIDI or audio file) to read")
    p.add_argument("instruction", metavar="INSTRUCTION", help="what to do, in plain English (quote it)")
    p.add_argument("-o", "--output", metavar="OUT.partita",
                   help="write the result here (.partita); required unless --dry-run")
    p.add_argument("--dry-run", action="store_true", help="print the plan and write nothing")
    p.add_argument("--seed", type=int, default=0,
                   help="random seed of the engine steps (default 0): the same seed gives the same result")
    add_device_argument(p, what="run the engines")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from app.cli.common import StderrProgress, existing_file, load_input_project, output_path

    existing_file(args.project)
    if args.output is None and not args.dry_run:
        raise PartitaError("give -o OUT.partita for the result, or --dry-run to see the plan only")
    out = output_path(args.output, suffixes=(".partita",)) if args.output else None
    if not 0 <= args.seed < 2**31:
        raise PartitaError("--seed must be between 0 and 2147483647")
    project = load_input_project(args.project)
    from app.edit import EditSettings, plan_command, plan_instruction
    from engines.instruct import Plan

    plan = plan_instruction(project, args.instruction)
    if not isinstance(plan, Plan):
        raise PartitaError(plan.message)
    for line in plan.lines():
        print(line)
    if args.dry_run:
        return 0
    from app.devices import resolve_device
    from app.projectfile import save_project

    settings = EditSettings(seed=args.seed, device=resolve_device(args.device))
    command = plan_command(project, plan, settings=settings, progress=StderrProgress("editing"))
    try:
        command.do(project)
    except (ValueError, KeyError) as exc:
        raise PartitaError(f"the edit could not be applied: {exc}") from None
    assert out is not None
    save_project(project, out)
    print(f"wrote {out}")
    return 0
