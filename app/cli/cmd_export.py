"""``partita export PROJECT [--midi OUT.mid] [--wav OUT.wav] [--stems DIR]``."""
from __future__ import annotations

import argparse

from app.cli.common import add_wav_arguments


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="export MIDI, a mixed WAV and/or stems",
                       description="Export a project (or a MIDI file) for a DAW: a standard "
                       "MIDI file of its MIDI tracks, a WAV mix, and/or one WAV per track "
                       "(all from 0:00, equal length, summing to the mix). Nothing is written "
                       "unless everything can be.")
    p.add_argument("project", metavar="PROJECT", help=".partita project (or a MIDI file)")
    p.add_argument("--midi", metavar="OUT.mid", help="write a standard MIDI file here")
    p.add_argument("--midi-type", type=int, choices=(0, 1), default=1,
                   help="MIDI file type: 1 = one track per part (default), 0 = one track")
    p.add_argument("--wav", metavar="OUT.wav", help="write the mix here")
    p.add_argument("--stems", metavar="DIR", help="write one WAV per track into this folder")
    add_wav_arguments(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from app.cli.common import existing_file, load_input_project, output_path, run_export, sound_font_choice
    from app.errors import PartitaError
    from app.exporting import ExportRequest, check_request

    if not (args.midi or args.wav or args.stems):
        raise PartitaError("nothing to export: give --midi, --wav and/or --stems")
    existing_file(args.project)
    request = ExportRequest(
        midi=output_path(args.midi, suffixes=(".mid", ".midi")) if args.midi else None,
        wav=output_path(args.wav, suffixes=(".wav",)) if args.wav else None,
        stems_dir=Path(args.stems) if args.stems else None, midi_type=args.midi_type,
        sample_rate=args.sample_rate, bit_depth=args.bit_depth,
        sound_font=sound_font_choice(args.soundfont))
    project = load_input_project(args.project)
    check_request(project, request, source=args.project)
    return run_export(project, request)
