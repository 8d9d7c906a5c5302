"""Beat and downbeat F1 of audio extraction on multitrack music rendered from notes.

Renders generated band arrangements (3/4, 4/4, 6/8; 72-160 BPM; with and
without drums) and Bach chorales from music21's corpus with Partita's
built-in synthesiser (or tests/synth.py: --renderer synth),
extracts controls, and prints beat/downbeat F1 (70 ms) per piece, per meter
and overall, for each beat tracker asked for.

    python tests/bench/bench_controls_beats.py [--tracker madmom librosa] [--quick] [--renderer synth]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from engines.controls import ControlsConfig, beat_f1, downbeat_f1, extract_controls  # noqa: E402
from tests import pieces  # noqa: E402

BANDS = [(1, 120, (4, 4), True), (2, 96, (3, 4), True), (3, 150, (4, 4), False),
         (4, 132, (6, 8), True), (5, 84, (4, 4), True), (6, 160, (3, 4), False),
         (7, 108, (6, 8), False), (8, 140, (4, 4), True), (9, 72, (3, 4), True),
         (10, 100, (4, 4), False), (11, 126, (3, 4), True), (12, 90, (6, 8), True)]
CHORALES = [("bach/bwv66.6", 90), ("bach/bwv269", 110), ("bach/bwv1.6", 100)]


def piece_set(quick: bool) -> list[pieces.Piece]:
    bands = BANDS[:6] if quick else BANDS
    out = [pieces.arrangement(seed, bpm, meter, drums=drums) for seed, bpm, meter, drums in bands]
    return out + [pieces.chorale(name, bpm) for name, bpm in (CHORALES[:1] if quick else CHORALES)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tracker", nargs="+", default=["madmom"], choices=["madmom", "librosa"])
    parser.add_argument("--quick", action="store_true", help="7 pieces instead of 15")
    parser.add_argument("--renderer", default="builtin", choices=["builtin", "synth"],
                        help="engines.render's built-in synthesiser or the tests' additive one")
    args = parser.parse_args()
    results: dict[str, list[tuple[str, float, float]]] = {t: [] for t in args.tracker}
    for piece in piece_set(args.quick):
        audio = pieces.audio(piece, renderer=args.renderer)
        line = f"{piece.name:34s} {audio.shape[1] / 44100:5.1f}s"
        for tracker in args.tracker:
            start = time.perf_counter()
            got = extract_controls(audio, 44100, config=ControlsConfig(beat_tracker=tracker))
            b, d = beat_f1(piece.beats, got.beats), downbeat_f1(piece.downbeats, got.downbeats)
            results[tracker].append((str(piece.meta["meter"]), b, d))
            line += f" | {tracker}: beat F1 {b:.2f} downbeat F1 {d:.2f} ({time.perf_counter() - start:.1f}s)"
        print(line, flush=True)
    for tracker, rows in results.items():
        print(f"\n{tracker}:")
        for meter in sorted({m for m, _, _ in rows}):
            sub = np.array([(b, d) for m, b, d in rows if m == meter])
            print(f"  meter {meter:8s} n={len(sub):2d}  beat F1 {sub[:, 0].mean():.3f}  "
                  f"downbeat F1 {sub[:, 1].mean():.3f}")
        allr = np.array([(b, d) for _, b, d in rows])
        print(f"  all            n={len(allr):2d}  beat F1 {allr[:, 0].mean():.3f}  "
              f"downbeat F1 {allr[:, 1].mean():.3f}")


if __name__ == "__main__":
    main()
