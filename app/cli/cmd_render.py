"""``partita render PROJECT -o MIX.wav [--stems DIR] [--sample-rate 44100|48000] [--bit-depth 16|24|32f]``."""
from __future__ import annotations

import argparse

from app.cli.common import add_wav_arguments


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "render", help="render a project to a WAV mix (and stems)",
        description="Render every track of a project (or a MIDI file) to audio: MIDI tracks "
        "through the built-in synthesiser, or a SoundFont when one is installed, shaped by "
        "the project's dynamics curve. Writes the mix of the audible tracks and, with "
        "--stems, one WAV per track; all start at 0:00, have equal length, and the stems of "
        "the audible tracks sum to the mix. Levels are fixed (a constant master gain), and a "
        "limiter acts only around peaks that would cross -1 dBFS, so the mix never does; "
        "release tails are kept. Says on stderr which synthesiser played.")
    p.add_argument("project", metavar="PROJECT", help=".partita project (or a MIDI file)")
    p.add_argument("-o", "--output", metavar="MIX.wav", required=True,
                   help="write the mix here (.wav)")
    p.add_argument("--stems", metavar="DIR",
                   help="also write one WAV per track into this folder, named 'NN Track.wav'")
    add_wav_arguments(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from app.cli.common import existing_file, load_input_project, output_path, run_export, sound_font_choice
    from app.exporting import ExportRequest, check_request

    existing_file(args.project)
    request = ExportRequest(wav=output_path(args.output, suffixes=(".wav",)),
                            stems_dir=Path(args.stems) if args.stems else None,
                            sample_rate=args.sample_rate, bit_depth=args.bit_depth,
                            sound_font=sound_font_choice(args.soundfont))
    project = load_input_project(args.project)
    check_request(project, request, source=args.project)
    return run_export(project, request)
