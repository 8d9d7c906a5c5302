"""``partita render PROJECT -o MIX.wav [--stems DIR] [--sample-rate 44100|48000] [--bit-depth 16|24|32f]``."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from app.errors import PartitaError

if TYPE_CHECKING:
    from app.mixdown import Mixdown
    from app.project import Project
    from engines.render.config import SoundFont


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "render", help="render a project to a WAV mix (and stems)",
        description="Render every track of a project (or a MIDI file) to audio: MIDI tracks "
        "through the built-in synthesiser, or a SoundFont when one is installed, shaped by "
        "the project's dynamics curve. Writes the mix of the audible tracks and, with "
        "--stems, one WAV per track; all start at 0:00, have equal length, and the stems of "
        "the audible tracks sum to the mix. The mix peaks at -1 dBFS at most; release tails "
        "are kept. Says on stderr which synthesiser played.")
    p.add_argument("project", metavar="PROJECT", help=".partita project (or a MIDI file)")
    p.add_argument("-o", "--output", metavar="MIX.wav", required=True,
                   help="write the mix here (.wav)")
    p.add_argument("--stems", metavar="DIR",
                   help="also write one WAV per track into this folder, named 'NN Track.wav'")
    p.add_argument("--sample-rate", type=int, choices=(44100, 48000), default=44100,
                   help="sample rate in Hz (default 44100)")
    p.add_argument("--bit-depth", choices=("16", "24", "32f"), default="24",
                   help="sample format: 16 (dithered), 24 (default) or 32f (32-bit float)")
    p.add_argument("--soundfont", metavar="FILE|none",
                   help="render MIDI tracks through this .sf2/.sf3 file, or 'none' for the "
                   "built-in synthesiser (default: $PARTITA_SOUNDFONT, else a SoundFont "
                   "found in ~/.local/share/partita/soundfonts or /usr/share/sounds/sf2, "
                   "else the built-in synthesiser)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from app.cli.common import StderrProgress, existing_file, load_input_project, output_path

    existing_file(args.project)
    wav = output_path(args.output, suffixes=(".wav",))
    if args.stems and os.path.exists(args.stems) and not os.path.isdir(args.stems):
        raise PartitaError(f"{args.stems}: exists and is not a folder")
    sound_font = _sound_font(args.soundfont)
    project = load_input_project(args.project)
    if not project.tracks:
        raise PartitaError(f"{args.project} has no tracks to render")
    from app.mixdown import render_project

    mixdown = render_project(project, sample_rate=args.sample_rate, sound_font=sound_font,
                             progress=StderrProgress("rendering"))
    for note in mixdown.notes:
        print(f"partita: {note}", file=sys.stderr)
    print(f"partita: played by {_describe(mixdown.backend)}", file=sys.stderr)
    for path in _write(project, mixdown, wav, args.stems, args.bit_depth):
        print(f"wrote {path}")
    return 0


def _sound_font(choice: str | None) -> SoundFont | str | None:
    """The SoundFont the user asked for: AUTO when not given, None for the built-in synth."""
    from app.mixdown import AUTO
    from app.soundfonts import DISABLED, load_soundfont

    if choice is None:
        return AUTO
    if choice.strip().lower() in DISABLED:
        return None
    existing = choice if os.path.isfile(choice) else None
    if existing is None:
        raise PartitaError(f"{choice}: no such SoundFont file (or pass --soundfont none)")
    return load_soundfont(existing)


def _describe(backend: str) -> str:
    parts = []
    for name in backend.split(" + "):
        if name.startswith("soundfont:"):
            parts.append(f"the SoundFont {name.split(':', 1)[1]}")
        else:
            parts.append("the built-in synthesiser")
    return " and ".join(parts)


def _write(project: Project, mixdown: Mixdown, wav: Path, stems_dir: str | None, bit_depth: str) -> list[Path]:
    """Write the stems (if asked) and the mix; returns the paths written."""
    from app.audio_io import write_audio
    from app.exporting import stem_filenames

    written = []
    if stems_dir:
        folder = Path(stems_dir)
        folder.mkdir(parents=True, exist_ok=True)
        for track_id, name in stem_filenames(project).items():
            write_audio(folder / name, mixdown.stems[track_id], mixdown.sample_rate, bit_depth)
            written.append(folder / name)
    write_audio(wav, mixdown.mix, mixdown.sample_rate, bit_depth)
    written.append(wav)
    return written
