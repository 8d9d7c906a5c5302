"""``partita export PROJECT [--midi OUT.mid] [--wav OUT.wav] [--stems DIR]``."""
from __future__ import annotations

import argparse

from app.errors import PartitaError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="export MIDI, a mixed WAV and/or stems",
                       description="Export a project (or a MIDI file) for a DAW: a standard "
                       "MIDI file of its MIDI tracks, a WAV mix, and/or one WAV per track "
                       "(all from 0:00, equal length, summing to the mix).")
    p.add_argument("project", metavar="PROJECT", help=".partita project (or a MIDI file)")
    p.add_argument("--midi", metavar="OUT.mid", help="write a standard MIDI file here")
    p.add_argument("--midi-type", type=int, choices=(0, 1), default=1,
                   help="MIDI file type: 1 = one track per part (default), 0 = one track")
    p.add_argument("--wav", metavar="OUT.wav", help="write the mix here")
    p.add_argument("--stems", metavar="DIR", help="write one WAV per track into this folder")
    p.add_argument("--sample-rate", type=int, choices=(44100, 48000), default=44100,
                   help="sample rate of WAV output (default 44100)")
    p.add_argument("--bit-depth", choices=("16", "24", "32f"), default="24",
                   help="WAV sample format: 16, 24 (default) or 32f (32-bit float)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from app.cli.common import StderrProgress, existing_file, load_input_project, output_path

    if not (args.midi or args.wav or args.stems):
        raise PartitaError("nothing to export: give --midi, --wav and/or --stems")
    existing_file(args.project)
    midi = output_path(args.midi, suffixes=(".mid", ".midi")) if args.midi else None
    wav = output_path(args.wav, suffixes=(".wav",)) if args.wav else None
    project = load_input_project(args.project)
    if midi:
        from app.midi_io import write_midi

        if not project.midi_tracks():
            raise PartitaError(f"{args.project} has no MIDI tracks to write as MIDI")
        write_midi(project, midi, midi_type=args.midi_type)
        print(f"wrote {midi}")
    if wav or args.stems:
        from app.exporting import export_audio

        written = export_audio(project, wav=wav, stems_dir=args.stems,
                               sample_rate=args.sample_rate, bit_depth=args.bit_depth,
                               progress=StderrProgress("rendering"))
        for path in written:
            print(f"wrote {path}")
    return 0
