"""``partita transcribe AUDIO -o OUT.mid [--kind melody|bass|drums|poly] [--device ...]``."""
from __future__ import annotations

import argparse

KIND_HELP = ("melody: one note at a time (voice, lead, flute, sax, violin, trumpet); bass: a bass line; "
             "drums: kick / snare / hi-hat / tom / cymbal hits as General MIDI drum notes; poly: chords "
             "and several lines at once (piano, guitar, pads)")


def register(sub: argparse._SubParsersAction) -> None:
    from app.devices import add_device_argument
    from app.settings import GRIDS

    p = sub.add_parser(
        "transcribe", help="an audio stem as MIDI notes (melody, bass, drums or chords)",
        description="Transcribe AUDIO (wav/flac/ogg/mp3, any rate, mono or stereo; a stem works best) "
        "into a one-track MIDI file. Without --kind, the kind of part is chosen from the file's name "
        "when it names one (drums, bass, vocals, other...), else by looking at the audio; the choice "
        "is printed. Notes keep the timing they were played with unless --grid "
        "asks for snapping. Pitched parts use basic-pitch's network (Spotify, Apache-2.0); drums use "
        "an onset detector and Partita's drum classifier.")
    p.add_argument("audio", metavar="AUDIO", help="the audio file to transcribe")
    p.add_argument("-o", "--output", metavar="OUT.mid", required=True, help="the MIDI file to write")
    p.add_argument("--kind", choices=("auto", "melody", "bass", "drums", "poly"), default="auto",
                   help=f"what the audio holds (default auto: chosen from the file's name when it names a stem, "
                   f"such as bass.wav or 02 Vocals.wav, else from the audio; the choice is printed). {KIND_HELP}")
    p.add_argument("--grid", choices=[g for g in GRIDS if g != "off"],
                   help="snap note starts (and ends) to this grid at the tempo (default: no snapping)")
    p.add_argument("--tempo", type=float, metavar="BPM",
                   help="tempo written to the MIDI file and used by --grid (default: 120, or with "
                   "--grid the tempo detected in the audio)")
    add_device_argument(p, what="run the transcription network")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import sys

    from app.cli.common import StderrProgress, existing_file, output_path
    from app.errors import PartitaError
    from app.midi_io import write_midi
    from app.transcribe import detect_tempo, transcribe_file

    source = existing_file(args.audio)
    target = output_path(args.output, suffixes=(".mid", ".midi"))
    if args.tempo is not None and not 10 <= args.tempo <= 999:
        raise PartitaError("--tempo must be between 10 and 999 BPM")
    tempo, how = (args.tempo, "given") if args.tempo is not None else (120.0, "default")
    if args.grid and args.tempo is None:
        heard = detect_tempo(source)
        tempo, how = (heard, "detected") if heard else (120.0, "default: no steady beat heard")
    kind = None if args.kind == "auto" else args.kind
    project, result, chosen_by = transcribe_file(source, kind=kind, grid=args.grid, tempo=tempo,
                                                 device=args.device, progress=StderrProgress("transcribing"))
    write_midi(project, target)
    track = project.midi_tracks()[0]
    chosen = {"asked": "as asked", "name": f"chosen from the file's name, {source.stem!r}",
              "audio": f"chosen from the audio: {result.reason}"}[chosen_by]
    print(f"kind: {result.kind} ({chosen})")
    print(f"wrote {target}: {len(track.notes)} notes, {track.name!r}, "
          f"{'drum kit' if track.is_drum else f'program {track.program}'}, tempo {tempo:g} BPM ({how})"
          + (f", snapped to {args.grid}" if args.grid else ""))
    sys.stdout.flush()
    return 0
