"""Transcription benchmark: note F1 per kind of part, Partita beside basic-pitch, and speed.

Material: band songs from ``app.band_data`` whose tunes are in the **test**
split (never used to tune the transcriber, which was tuned on mma grooves and
Bach chorale lines rendered separately, and whose drum classifier was fitted on
random patterns). Each song's Melody, Bass, first polyphonic comping track and
Drums are rendered one by one through engines/render, with a timbre per kind
cycling through ``TIMBRES`` (FluidR3_GM, TimGM6mb and the built-in
synthesiser), and transcribed with the kind given, by Partita and by
basic-pitch (its ONNX model and note creation as shipped: default thresholds).

Scores (mir_eval): note F1 with 50 ms onsets, pitch within 50 cents, offsets
ignored, for melody, bass and poly; onset F1 (50 ms, pitch ignored, hits within
30 ms counted once) for drums, plus Partita's per-class F1 for kick, snare and
hi-hat. Means over parts. ``--separated`` also mixes each song, separates it
with the embedded separator and scores the stems (bass stem -> bass, drums ->
drums, vocals -> melody, other -> poly). Speed: real-time factor (audio seconds
per second of work) per kind, and on a 3-minute stem with the kind chosen from
the audio.

    python tests/bench/bench_transcribe.py [--songs 8] [--timbres 2] [--separated] [--json OUT.json]
    python tests/bench/bench_transcribe.py --speed-only      # the 3-minute figure alone
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

SR = 44100
FONTS = {name: Path("/usr/share/sounds/sf2") / name for name in ("FluidR3_GM.sf2", "TimGM6mb.sf2")}
TIMBRES = {
    "melody": [("Flute", 73), ("Alto Sax", 65), ("Violin", 40), ("Trumpet", 56), ("Voice Oohs", 53)],
    "bass": [("Fingered Bass", 33), ("Acoustic Bass", 32), ("Picked Bass", 34), ("Synth Bass 1", 38)],
    "poly": [("Piano", 0), ("Electric Piano 1", 4), ("Strings", 48), ("Warm Pad", 89), ("Nylon Guitar", 24)],
    "drums": [("kit", 0)],
}
KINDS = ("melody", "bass", "poly", "drums")
DRUM_CLASSES = ("kick", "snare", "hihat")


def sound_fonts() -> list:
    from engines.render import SoundFont

    return [SoundFont(n, p.read_bytes()) for n, p in FONTS.items() if p.is_file()] + [None]


def song_parts(count: int, seed: int) -> list[dict]:
    """Per song: name and the notes (engine notes, seconds) of its melody, bass, poly and drum parts."""
    from app.band_data import songs, tunes
    from app.project import MidiTrack, Role
    from app.roles import polyphony
    from engines.common import Note
    from engines.compose.data import split_of

    pool = [t for t in tunes() if split_of(t.name) == "test"]
    order = np.random.default_rng(seed).permutation(len(pool))
    out = []
    for name, arr, project in songs([pool[i] for i in order], seed=seed):
        def seconds(track: MidiTrack) -> tuple:
            return tuple(Note(n.pitch, float(project.tick_to_seconds(n.start)),
                              float(project.tick_to_seconds(n.end) - project.tick_to_seconds(n.start)), n.velocity)
                         for n in track.sorted_notes())
        tracks = project.midi_tracks()
        parts = {"melody": next((t for t in tracks if t.role == Role.MELODY), None),
                 "bass": next((t for t in tracks if t.role == Role.BASS), None),
                 "poly": next((t for t in tracks if t.role == Role.HARMONY and polyphony(t) >= 0.2), None),
                 "drums": next((t for t in tracks if t.is_drum), None)}
        out.append({"name": name, "style": arr.style, "bpm": arr.bpm,
                    "parts": {k: seconds(t) for k, t in parts.items() if t is not None and t.notes}})
        if len(out) >= count:
            break
    return out


def render(notes: tuple, program: int, is_drum: bool, font) -> np.ndarray:
    from engines.render import Part, render_part

    return render_part(Part(notes, program=program, is_drum=is_drum), sample_rate=SR, sound_font=font).audio


def note_f1(ref: tuple, est: tuple) -> float:
    import mir_eval

    if not ref or not est:
        return float(not ref and not est)
    intervals = lambda notes: np.array([[n.start, n.start + max(n.duration, 0.01)] for n in notes])  # noqa: E731
    hz = lambda notes: mir_eval.util.midi_to_hz(np.array([n.pitch for n in notes], float))  # noqa: E731
    return float(mir_eval.transcription.precision_recall_f1_overlap(
        intervals(ref), hz(ref), intervals(est), hz(est), onset_tolerance=0.05, offset_ratio=None)[2])


def merged_onsets(times) -> np.ndarray:
    """Sorted onset times with those within 30 ms of the previous kept one dropped."""
    out: list[float] = []
    for t in sorted(times):
        if not out or t - out[-1] > 0.03:
            out.append(t)
    return np.array(out)


def onset_f1(ref_times, est_times) -> float:
    import mir_eval

    ref, est = merged_onsets(ref_times), merged_onsets(est_times)
    if len(ref) == 0 or len(est) == 0:
        return float(len(ref) == len(est))
    return float(mir_eval.onset.f_measure(ref, est, window=0.05)[0])


def class_f1(ref: tuple, est: tuple) -> dict[str, float]:
    from engines.transcribe.drums import GM_CLASS

    return {c: onset_f1([n.start for n in ref if GM_CLASS.get(n.pitch) == c],
                        [n.start for n in est if GM_CLASS.get(n.pitch) == c]) for c in DRUM_CLASSES}


class BasicPitch:
    """basic-pitch as shipped: its network and note creation with default thresholds."""

    def __init__(self, network: bytes) -> None:
        from engines.transcribe import nmp

        self.session = nmp.open_session(network)

    def transcribe(self, audio: np.ndarray) -> tuple:
        from engines.transcribe import nmp
        from engines.transcribe.poly_notes import PolyConfig, decode_poly

        return decode_poly(nmp.run_network(self.session, nmp.to_network_rate(audio, SR)), PolyConfig())


def score(kind: str, ref: tuple, est: tuple) -> float:
    return onset_f1([n.start for n in ref], [n.start for n in est]) if kind == "drums" else note_f1(ref, est)


def run_part(kind: str, ref: tuple, audio: np.ndarray, partita, basic_pitch, rows: list, label: str) -> None:
    t0 = time.perf_counter()
    ours = partita.transcribe(audio, SR, kind=kind).notes
    t1 = time.perf_counter()
    theirs = basic_pitch.transcribe(audio)
    t2 = time.perf_counter()
    row = {"kind": kind, "part": label, "seconds": audio.shape[-1] / SR, "partita": score(kind, ref, ours),
           "basic_pitch": score(kind, ref, theirs), "partita_time": t1 - t0, "basic_pitch_time": t2 - t1}
    if kind == "drums":
        row["classes"] = class_f1(ref, ours)
    rows.append(row)
    print(f"  {kind:6s} {label:48s} Partita {row['partita']:.3f}  basic-pitch {row['basic_pitch']:.3f}",
          file=sys.stderr, flush=True)


def clean_rows(songs: list[dict], timbres: int, partita, basic_pitch) -> list[dict]:
    fonts, rows = sound_fonts(), []
    for s, song in enumerate(songs):
        for kind, ref in song["parts"].items():
            for j in range(min(timbres, len(TIMBRES[kind]) * len(fonts))):
                k = s * timbres + j
                name, program = TIMBRES[kind][k % len(TIMBRES[kind])]
                font = fonts[(k // len(TIMBRES[kind]) + k) % len(fonts)]
                audio = render(ref, program, kind == "drums", font)
                label = f"{song['name'][5:30]} {name} ({font.name if font else 'built-in'})"
                run_part(kind, ref, audio, partita, basic_pitch, rows, label)
    return rows


STEM_KINDS = {"bass": "bass", "drums": "drums", "vocals": "melody", "other": "poly"}


def separated_rows(songs: list[dict], partita, basic_pitch) -> list[dict]:
    """Mix each song (first timbre of each kind), separate it with the embedded separator, score stems."""
    from app.separate import load_separator, separate_audio
    from engines.separate import SOURCES

    separator, _ = load_separator("embedded")
    fonts, rows = sound_fonts(), []
    for s, song in enumerate(songs):
        font = fonts[s % len(fonts)]
        audio = {k: render(ref, TIMBRES[k][s % len(TIMBRES[k])][1], k == "drums", font)
                 for k, ref in song["parts"].items()}
        length = max(a.shape[1] for a in audio.values())
        mix = np.zeros((2, length), np.float32)
        for a in audio.values():
            mix[:, : a.shape[1]] += a
        stems = separate_audio(separator, mix, SR)
        for stem, kind in STEM_KINDS.items():
            if kind in song["parts"]:
                run_part(kind, song["parts"][kind], stems.audio[SOURCES.index(stem)], partita, basic_pitch, rows,
                         f"{song['name'][5:30]} {stem} stem ({stems.method})")
    return rows


def speed_3_minutes(songs: list[dict], partita) -> tuple[float, float, float]:
    """(real-time factor, seconds of work, CPU-time real-time factor) for a 3-minute melody stem, kind
    chosen. The CPU-time factor (audio seconds per second of this process's CPU time, all its threads)
    depends less on what else runs on the machine."""
    fonts = sound_fonts()
    pieces, total = [], 0
    for s, song in enumerate(songs * 8):
        if "melody" in song["parts"]:
            piece = render(song["parts"]["melody"], TIMBRES["melody"][s % 5][1], False, fonts[s % len(fonts)])
            pieces.append(piece)
            total += piece.shape[1]
        if total >= 180 * SR:
            break
    stem = np.concatenate(pieces, axis=1)[:, : 180 * SR]
    t0, c0 = time.perf_counter(), time.process_time()
    partita.transcribe(stem, SR)
    spent, cpu = time.perf_counter() - t0, time.process_time() - c0
    return stem.shape[1] / SR / spent, spent, stem.shape[1] / SR / cpu


def summary(rows: list[dict], title: str) -> dict:
    print(f"\n{title}")
    print(f"{'kind':8s} {'parts':>5s} {'minutes':>8s} {'Partita F1':>11s} {'basic-pitch F1':>15s} "
          f"{'Partita RTF':>12s} {'basic-pitch RTF':>16s}")
    out = {}
    for kind in KINDS:
        sel = [r for r in rows if r["kind"] == kind]
        if not sel:
            continue
        secs = sum(r["seconds"] for r in sel)
        res = {"parts": len(sel), "seconds": secs, "partita_f1": float(np.mean([r["partita"] for r in sel])),
               "basic_pitch_f1": float(np.mean([r["basic_pitch"] for r in sel])),
               "partita_rtf": secs / sum(r["partita_time"] for r in sel),
               "basic_pitch_rtf": secs / sum(r["basic_pitch_time"] for r in sel)}
        if kind == "drums":
            res["classes"] = {c: float(np.mean([r["classes"][c] for r in sel])) for c in DRUM_CLASSES}
        out[kind] = res
        name = "drums*" if kind == "drums" else kind
        print(f"{name:8s} {len(sel):5d} {secs / 60:8.1f} {res['partita_f1']:11.3f} {res['basic_pitch_f1']:15.3f} "
              f"{res['partita_rtf']:11.1f}x {res['basic_pitch_rtf']:15.1f}x")
    if "drums" in out:
        classes = ", ".join(f"{c} {v:.3f}" for c, v in out["drums"]["classes"].items())
        print(f"* drums: onset F1 (pitch ignored); Partita's class F1: {classes}")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--songs", type=int, default=8, help="band songs from the test split (default 8)")
    parser.add_argument("--timbres", type=int, default=2, help="timbres per part and song (default 2)")
    parser.add_argument("--seed", type=int, default=0, help="which songs (default 0)")
    parser.add_argument("--separated", action="store_true", help="also score stems of the embedded separator")
    parser.add_argument("--json", type=Path, help="write the figures here as JSON")
    parser.add_argument("--speed-only", action="store_true", help="only the 3-minute speed figure")
    args = parser.parse_args()
    from app.devices import configure_threads
    from app.models import resolve
    from app.transcribe import transcriber

    configure_threads()
    partita = transcriber("cpu")
    basic_pitch = BasicPitch(resolve("basic-pitch").read_bytes())
    print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f} at start", file=sys.stderr)
    songs = song_parts(args.songs, args.seed)
    print(f"{len(songs)} test-split band songs: " + ", ".join(f"{s['style']} {s['bpm']:.0f} BPM" for s in songs))
    results = {} if args.speed_only else {
        "clean": summary(clean_rows(songs, args.timbres, partita, basic_pitch),
                         "Clean renderings (note F1, 50 ms onsets, offsets ignored)")}
    if args.separated and not args.speed_only:
        results["separated"] = summary(separated_rows(songs, partita, basic_pitch),
                                       "Stems of the embedded separator (same scores)")
    rtf, spent, cpu_rtf = speed_3_minutes(songs, partita)
    load = os.getloadavg()[0]
    print(f"\n3-minute stem, kind chosen from the audio: {rtf:.1f}x real time ({spent:.1f} s), "
          f"{cpu_rtf:.1f}x its CPU time, load average {load:.1f} on {os.cpu_count()} cores")
    results["three_minutes"] = {"rtf": rtf, "seconds": spent, "cpu_rtf": cpu_rtf, "load": load}
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
