"""``partita controls INPUT -o controls.json``: the melody, dynamics and rhythm of a file."""
from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "controls", help="melody / dynamics / rhythm of an audio, MIDI or project file",
        description="Read the time-varying controls of INPUT (Music ControlNet's melody, "
        "dynamics and rhythm) and write them as partita.controls/1 JSON. Audio "
        "(wav/flac/ogg/mp3, any rate, mono or stereo) is analysed: melody as pitch "
        "classes, dynamics in dB, beats and downbeats tracked; MIDI and .partita "
        "projects are read from their notes and tempo map (melody as MIDI pitch).")
    parser.add_argument("input", metavar="INPUT", help="an audio, MIDI (.mid) or .partita file")
    parser.add_argument("-o", "--output", required=True, metavar="OUT.json",
                        help="the controls file to write (JSON, partita.controls/1)")
    parser.add_argument("--beat-tracker", choices=("auto", "madmom", "librosa"), default="auto",
                        help="audio only: madmom's RNN downbeat tracker (default when it "
                        "imports) or librosa's beat tracker (no downbeat model)")
    parser.add_argument("--beats-per-bar", default="3,4", metavar="N[,N]",
                        help="audio only: bar lengths (in beats) the downbeat tracker may "
                        "choose from, e.g. 3,4 (default) or 2,3,4 for 6/8 in dotted beats")
    parser.set_defaults(func=run)


def _bar_lengths(text: str) -> tuple[int, ...]:
    from app.errors import PartitaError

    try:
        lengths = tuple(sorted({int(part) for part in text.split(",") if part.strip()}))
    except ValueError:
        lengths = ()
    if not lengths or min(lengths) < 2 or max(lengths) > 12:
        raise PartitaError(f"--beats-per-bar {text!r} must be numbers from 2 to 12, like 3,4")
    return lengths


def run(args: argparse.Namespace) -> int:
    from app.cli.common import StderrProgress, existing_file, output_path
    from app.controls_io import write_controls
    from app.controls_project import file_controls
    from engines.controls import ControlsConfig

    source = existing_file(args.input)
    target = output_path(args.output, suffixes=(".json",))
    config = ControlsConfig(beat_tracker=args.beat_tracker,
                            beats_per_bar=_bar_lengths(args.beats_per_bar))
    controls = file_controls(source, config=config, progress=StderrProgress("controls"))
    write_controls(controls, target)
    return 0
