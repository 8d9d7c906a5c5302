"""``partita infill PROJECT -o OUT.partita --tracks NAME[,NAME] [--bars A-B] [--seed N]``."""
from __future__ import annotations

import argparse
from pathlib import Path

from app.devices import add_device_argument
from app.errors import PartitaError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "infill", help="rewrite tracks over a bar range with the composer model",
        description="Write new notes for the named tracks over a range of bars, conditioned on "
        "everything else in the project (the other tracks, and these tracks outside the range). "
        "Notes of the named tracks that start inside the range are replaced; nothing else "
        "changes. An empty track is written from nothing. A drum track is written by drum family "
        "(kick, snare, hi-hat, toms, ride, crash, percussion) with GM drum notes. With the same seed the result is the same on the same machine.")
    p.add_argument("project", metavar="PROJECT", help=".partita project (or a MIDI file)")
    p.add_argument("-o", "--output", metavar="OUT.partita", required=True,
                   help="write the result here (.partita); with --variations K > 1 the others "
                   "go to OUT-2.partita … OUT-K.partita")
    p.add_argument("--tracks", metavar="NAME[,NAME]", required=True,
                   help="comma-separated names of the tracks to write (case-insensitive)")
    p.add_argument("--bars", metavar="A-B",
                   help="bars to write, 1-based and inclusive, e.g. 5-12 or 7 (default: all bars)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--temperature", type=float, default=0.8,
                   help="sampling temperature: lower is safer, higher bolder (default 0.8)")
    p.add_argument("--variations", type=int, default=1, metavar="K",
                   help="write K different results; variation k uses seed N+k-1 (default 1)")
    p.add_argument("--steps", type=int, metavar="N",
                   help="refinement passes of the model per 16 bars or less (default: 8 for one "
                   "track, up to 12 for many; more is slower and a little tidier)")
    p.add_argument("--scale-lock", action="store_true",
                   help="use only notes of the project's key (estimated when the project has none)")
    p.add_argument("--voices", type=int, metavar="N",
                   help="simultaneous notes to write per track (default: as many as the track "
                   "already has; 3 for an empty harmony track, else 1)")
    p.add_argument("--model", metavar="FILE.safetensors",
                   help="composer weights to use, e.g. from `partita train` (default: the "
                   "installed composer model)")
    add_device_argument(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from app.cli.common import StderrProgress, existing_file, load_input_project, output_path

    existing_file(args.project)
    out = output_path(args.output, suffixes=(".partita",))
    if not 1 <= args.variations <= 32:
        raise PartitaError("--variations must be between 1 and 32")
    if not 0.0 <= args.temperature <= 5.0:
        raise PartitaError("--temperature must be between 0 and 5")
    if args.steps is not None and not 1 <= args.steps <= 256:
        raise PartitaError("--steps must be between 1 and 256")
    if args.voices is not None and not 1 <= args.voices <= 8:
        raise PartitaError("--voices must be between 1 and 8")
    project = load_input_project(args.project)
    from app.infill import InfillRequest, Infiller, parse_bars, tracks_by_name
    from app.projectfile import save_project

    names = [n for n in args.tracks.split(",") if n.strip()]
    if not names:
        raise PartitaError("--tracks names no track")
    req = InfillRequest(track_ids=tracks_by_name(project, names), bars=parse_bars(args.bars, project),
                        seed=args.seed, temperature=args.temperature, variations=args.variations,
                        steps=args.steps, scale_lock=args.scale_lock, voices=args.voices)
    infiller = Infiller(Path(args.model) if args.model else None, device=args.device)
    commands = infiller.run(project, req, progress=StderrProgress("infilling"))
    for k, command in enumerate(commands):
        command.do(project)
        path = out if k == 0 else out.with_name(f"{out.stem}-{k + 1}{out.suffix}")
        save_project(project, path)
        command.undo(project)
        print(f"wrote {path}")
    return 0
