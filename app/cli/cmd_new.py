"""``partita new OUT.partita``: an empty project with tempo, meter, key and length."""
from __future__ import annotations

import argparse

from app.errors import PartitaError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("new", help="create an empty project",
                       description="Create an empty project file.")
    p.add_argument("out", metavar="OUT.partita", help="the project file to write")
    p.add_argument("--bars", type=int, default=8, help="length in bars (default 8)")
    p.add_argument("--tempo", type=float, default=120.0, help="tempo in BPM (default 120)")
    p.add_argument("--time-signature", default="4/4", help="meter, e.g. 3/4 (default 4/4)")
    p.add_argument("--key", default=None, help="key, e.g. C:major or F#:minor (default none)")
    p.add_argument("--name", default=None, help="project name (default: the file name)")
    p.add_argument("--force", action="store_true", help="overwrite OUT if it exists")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from app.cli.common import output_path
    from app.commands import SetProjectProps, set_tempo
    from app.project import Project
    from app.projectfile import save_project

    out = output_path(args.out, suffixes=(".partita",))
    project = Project(name=args.name or out.stem)
    try:
        set_tempo(args.tempo).do(project)
        SetProjectProps(length_bars=args.bars, time_signature=args.time_signature,
                        key=args.key).do(project)
    except ValueError as exc:
        raise PartitaError(str(exc)) from None
    if out.exists() and not args.force:
        raise PartitaError(f"{out} already exists; choose another name or add --force")
    save_project(project, out)
    print(f"created {out}: {project.length_bars} bars at {project.tempo:g} BPM in "
          f"{project.time_signature}{', ' + project.key if project.key else ''}")
    return 0
