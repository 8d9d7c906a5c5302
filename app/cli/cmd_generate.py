"""``partita generate [PROJECT] -o OUT.partita [--controls FILE] [--prompt TEXT] ...`` (see CONTRACT.md)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.devices import add_device_argument
from app.errors import PartitaError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "generate", help="write new parts that follow melody, dynamics and rhythm controls and a prompt",
        description="Write a multi-track arrangement (melody, harmony, bass, drums) that follows "
        "control curves: the melody sounds the given pitches where they are specified, the "
        "loudness follows the dynamics curve, and the beats and downbeats become the tempo map "
        "and bar lines (the onset density sets how busy the parts are). Frames the controls "
        "leave unspecified are the model's to fill, in key and in time. Without PROJECT a new "
        "project is made, as long as the controls (or --seconds); with PROJECT the chosen tracks "
        "are written over the chosen bars using the project's own curves (or --controls). "
        "With the same seed the result is the same on the same machine.")
    p.add_argument("project", metavar="PROJECT", nargs="?",
                   help=".partita project (or a MIDI file) to write into (default: a new project)")
    p.add_argument("-o", "--output", metavar="OUT.partita", required=True,
                   help="write the result here (.partita); with --variations K > 1 the others go to "
                   "OUT-2.partita … OUT-K.partita")
    p.add_argument("--controls", metavar="controls.json",
                   help="a partita.controls/1 file (from `partita controls`): its curves replace the "
                   "project's, and a project without notes takes its beats as tempo map and bar lines")
    p.add_argument("--prompt", metavar="TEXT", default="",
                   help='plain words, e.g. "slow sad piano in D minor" or "energetic, drums and bass, '
                   '128 bpm": key, mode, tempo, meter, instruments, parts, register, density, '
                   "emotion (happy/tense/sad/calm) and groove; what was understood is printed")
    p.add_argument("--tracks", metavar="NAME[,NAME]",
                   help="tracks to write, by name or role (melody, harmony, bass, drums); a role "
                   "with no track gets a new one (default: melody,harmony,bass,drums, or the parts "
                   "the prompt names)")
    p.add_argument("--bars", metavar="A-B", help="bars to write, 1-based and inclusive (default: all)")
    p.add_argument("--seconds", type=float, metavar="S",
                   help="length of a new project in seconds (default: the controls' duration, else 8 bars)")
    p.add_argument("--tempo", type=float, metavar="BPM", help="tempo of a new project (beats in the "
                   "controls win)")
    p.add_argument("--key", metavar="C:minor", help="key to write in (default: the project's, the "
                   "prompt's, else found in the melody)")
    p.add_argument("--time-signature", metavar="3/4", help="meter of a new project (downbeats in "
                   "the controls win when they disagree)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--temperature", type=float, default=0.8,
                   help="sampling temperature: lower is safer, higher bolder (default 0.8)")
    p.add_argument("--variations", type=int, default=1, metavar="K",
                   help="write K different results; variation k uses seed N+k-1 (default 1)")
    p.add_argument("--model", metavar="FILE.safetensors", help="composer weights to use (default: "
                   "the installed composer model)")
    add_device_argument(p)
    p.set_defaults(func=run)


def _check(args: argparse.Namespace) -> None:
    if not 1 <= args.variations <= 32:
        raise PartitaError("--variations must be between 1 and 32")
    if not 0.0 <= args.temperature <= 5.0:
        raise PartitaError("--temperature must be between 0 and 5")
    if args.seconds is not None and not 1.0 <= args.seconds <= 3600.0:
        raise PartitaError("--seconds must be between 1 and 3600")
    if args.tempo is not None and not 10.0 <= args.tempo <= 999.0:
        raise PartitaError("--tempo must be between 10 and 999 BPM")
    if args.seed < 0:
        raise PartitaError("--seed must be 0 or more")


def run(args: argparse.Namespace) -> int:
    from app.cli.common import StderrProgress, existing_file, load_input_project, output_path

    out = output_path(args.output, suffixes=(".partita",))
    _check(args)
    if args.project is not None:
        existing_file(args.project)
    from app.generate import Generate, GenerateRequest, read_request_controls
    from app.project import Project
    from app.projectfile import save_project

    controls = read_request_controls(args.controls)
    project = load_input_project(args.project) if args.project else Project(name=out.stem)
    tracks = tuple(n for n in args.tracks.split(",") if n.strip()) if args.tracks else None
    if args.tracks is not None and not tracks:
        raise PartitaError("--tracks names no track")
    request = GenerateRequest(tracks=tracks, bars=args.bars, seconds=args.seconds, prompt=args.prompt,
                              tempo=args.tempo, key=args.key, meter=args.time_signature, seed=args.seed,
                              temperature=args.temperature, variations=args.variations, controls=controls)
    outcome = Generate(Path(args.model) if args.model else None, device=args.device).run(
        project, request, progress=StderrProgress("generating"))
    if args.prompt:
        print(f"prompt: {outcome.reading.summary()}", file=sys.stderr)
    for note in outcome.notes:
        print(f"note: {note}", file=sys.stderr)
    for k, command in enumerate(outcome.commands):
        command.do(project)
        path = out if k == 0 else out.with_name(f"{out.stem}-{k + 1}{out.suffix}")
        save_project(project, path)
        command.undo(project)
        print(f"wrote {path}")
    return 0
