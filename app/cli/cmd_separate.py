"""``partita separate AUDIO -o DIR [--model auto|embedded|hdemucs] [--device auto|cpu|cuda]``."""
from __future__ import annotations

import argparse
import sys


MODELS = ("auto", "embedded", "hdemucs", "dsp")
"""The same as ``app.separate.MODELS`` (not imported here: ``partita --help`` stays fast)."""


def register(sub: argparse._SubParsersAction) -> None:
    from app.devices import add_device_argument

    p = sub.add_parser(
        "separate", help="split a song into drums, bass, other and vocals stems",
        description="Separate an audio file (wav/flac/ogg/mp3, any rate, mono, stereo or more "
        "channels, up to an hour) into DIR/drums.wav, DIR/bass.wav, DIR/other.wav and "
        "DIR/vocals.wav: 32-bit float WAV with the input's sample rate, channel count and "
        "length. The embedded separator's stems sum to the input exactly; Hybrid Demucs' sum "
        "to it within the model's error. Long files are separated segment by segment, so "
        "memory stays bounded.")
    p.add_argument("input", metavar="AUDIO", help="the audio file to separate")
    p.add_argument("-o", "--output", required=True, metavar="DIR",
                   help="folder for the four stems (created if missing; existing stems are replaced)")
    p.add_argument("--model", choices=MODELS, default="auto",
                   help="embedded: the separator shipped with Partita (no download; trained on "
                   "rendered MIDI, best on synthesised music); hdemucs: Hybrid Demucs (download it "
                   "once with `partita models download hdemucs`); dsp: signal processing only "
                   "(harmonic/percussive split, a bass band, the lead's pitch); auto (default): "
                   "hdemucs when it is installed, else embedded")
    add_device_argument(p, what="run Hybrid Demucs (the embedded separator always uses the CPU)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from app.audio_io import audio_info
    from app.cli.common import StderrProgress, existing_file
    from app.separate import load_separator
    from app.separate_files import check_output_dir, separate_file

    if args.device == "cuda":   # asked for a GPU: no GPU is an error here as in every engine command
        from app.devices import resolve_device

        resolve_device(args.device)
    source = existing_file(args.input)
    audio_info(source)
    out_dir = Path(args.output)
    check_output_dir(source, out_dir)
    separator, note = load_separator(args.model, device=args.device)
    report = separate_file(source, out_dir, separator, progress=StderrProgress("separating"))
    if note:  # after separating: the note says what ran, so a failed run must not print it
        print(f"partita: {note}", file=sys.stderr)
    for path in report.paths.values():
        print(f"wrote {path}")
    print(f"partita: {report.method} separated {report.seconds:.1f} s in {report.elapsed:.1f} s",
          file=sys.stderr)
    return 0
