"""``partita import PROJECT FILE... [-o OUT]``: add MIDI and audio files as tracks."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.project import Project


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("import", help="add MIDI/audio files to a project as tracks",
                       description="Add MIDI and audio files (WAV, FLAC, OGG, MP3) to a project "
                       "as tracks. A MIDI file is split into one track per channel, each with "
                       "an inferred role. Audio is resampled to the project's rate. An empty "
                       "project takes the first MIDI file's tempo, meter and key.")
    p.add_argument("project", metavar="PROJECT", help="the .partita project to add to")
    p.add_argument("files", metavar="FILE", nargs="+", help="MIDI or audio files")
    p.add_argument("-o", "--output", metavar="OUT", default=None,
                   help="write the result here instead of updating PROJECT")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from app.cli.common import existing_file, output_path
    from app.importing import file_kind, import_files
    from app.projectfile import load_project, save_project

    existing_file(args.project)
    out = output_path(args.output or args.project, suffixes=(".partita",))
    for f in args.files:
        existing_file(f)
    project = load_project(args.project)
    before, grid, timing = len(project.tracks), _grid(project), _timing(project)
    import_files(project, args.files).do(project)
    save_project(project, out)
    added = project.tracks[before:]
    for track in added:
        print(f"+ {track.name} ({track.kind}, {track.role})", file=sys.stderr)
    midi = [f for f in args.files if file_kind(f) == "midi"]
    if not before and midi and _timing(project) != timing:
        print(f"took {_grid(project)} from {Path(midi[0]).name} (was {grid}: an empty project "
              "takes its first MIDI file's tempo, meter and key)", file=sys.stderr)
    print(f"{out}: added {len(added)} track{'s' if len(added) != 1 else ''}")
    return 0


def _grid(project: Project) -> str:
    """ "120 BPM, 6/8, E:major" (", N tempo changes" when the tempo moves; "no key")."""
    changes = len(project.tempo_map) - 1
    moves = f" ({changes} tempo change{'s' if changes != 1 else ''})" if changes else ""
    return f"{project.tempo:g} BPM{moves}, {project.time_signature}, {project.key or 'no key'}"


def _timing(project: Project) -> tuple[object, ...]:
    return (list(project.tempo_map), project.time_signature, project.key)
