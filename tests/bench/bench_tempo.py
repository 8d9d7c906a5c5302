"""Tempo, meter, first downbeat and key detected in rendered band songs (what ``partita info
SONG.wav`` and opening a song report), against what the songs were written at.

Held-out band songs (``app.band_data``, split "test": tunes the composer never trained
on; 14 grooves: rock, pop, funk, swing, shuffle, latin, waltz, 6/8 ballads, ...) are
set to tempos spread evenly over 80-160 quarter notes a minute, rendered with the
built-in synthesiser and cut to their first ``--seconds``; the detector hears only
the mix.

    python tests/bench/bench_tempo.py [--count 40] [--seconds 30] [--seed 7]

Prints per song and overall: tempo within 2%, bar length right (bars line up: 6/8
read as 3/4 has the right bar), meter exactly right, first downbeat on a bar line (70 ms),
key named and right; and the speed (times real time; note ``uptime``'s load).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.project import TempoChange, TimeSignature  # noqa: E402

LOW_BPM, HIGH_BPM = 80.0, 160.0
TEMPO_TOLERANCE = 0.02
DOWNBEAT_TOLERANCE = 0.07
RATE = 44100


def songs(count: int, seed: int, folder: Path) -> list[Path]:
    from app.band_data import write_songs

    return write_songs(folder, split="test", count=count, seed=seed)


def tempo_for(index: int, count: int) -> float:
    """Tempos spread over LOW..HIGH, visited in a stride so styles and tempos mix."""
    step = (index * 7) % count
    return LOW_BPM + (HIGH_BPM - LOW_BPM) * step / max(1, count - 1)


def off_the_bar_lines(project, seconds: float) -> float:  # type: ignore[no-untyped-def]
    """Seconds from ``seconds`` to the song's nearest bar line (the detector may well find
    the first downbeat a bar or two in, after a quiet start: what counts is that the bars
    line up)."""
    tick = float(project.seconds_to_tick(seconds))
    bar = project.ticks_per_bar
    nearest = round(tick / bar) * bar
    return abs(seconds - float(project.tick_to_seconds(nearest)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=40, help="songs (at least 20 for the figure)")
    parser.add_argument("--seconds", type=float, default=30.0, help="length of each excerpt")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    from app.importing import project_from_file
    from app.mixdown import render_project
    from engines.controls import detect_timing
    from engines.controls.key import KeyEstimate

    names = ["C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"]
    rows = []
    spent = heard = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        paths = songs(args.count, args.seed, Path(tmp))
        for index, path in enumerate(paths):
            info = json.loads(path.with_suffix(".json").read_text())
            project = project_from_file(path, detect=False)
            bpm = tempo_for(index, len(paths))
            project.tempo_map = [TempoChange(0, bpm)]
            mix = render_project(project, sample_rate=RATE, sound_font=None).mix
            mix = mix[:, : int(args.seconds * RATE)]
            start = time.perf_counter()
            timing = detect_timing(mix, RATE)
            spent += time.perf_counter() - start
            heard += mix.shape[1] / RATE
            true_sig = TimeSignature.parse(info["time_signature"])
            row = {"song": path.stem, "meter": str(true_sig), "bpm": bpm, "key": info["key"]}
            if timing is None:
                row.update(got="-", tempo_ok=False, bar_ok=False, meter_ok=False, downbeat_ok=False,
                           key_got=None)
            else:
                got_sig = TimeSignature(timing.numerator, timing.denominator)
                bar_true = 60.0 / bpm * 4 * true_sig.numerator / true_sig.denominator
                bar_got = 60.0 / timing.bpm * 4 * got_sig.numerator / got_sig.denominator
                key: KeyEstimate | None = timing.key
                row.update(got=f"{timing.bpm:6.1f} {got_sig}", err=timing.bpm / bpm - 1,
                           tempo_ok=abs(timing.bpm / bpm - 1) <= TEMPO_TOLERANCE,
                           bar_ok=abs(bar_got / bar_true - 1) <= TEMPO_TOLERANCE,
                           meter_ok=got_sig == true_sig,
                           downbeat_ok=off_the_bar_lines(project, timing.first_downbeat) <= DOWNBEAT_TOLERANCE,
                           key_got=None if key is None else f"{names[key.tonic]}:{key.mode}")
            rows.append(row)
            print(f"{row['song']:16s} {row['meter']:4s} {bpm:6.1f} BPM -> {row['got']:12s} "
                  f"{'tempo ok' if row['tempo_ok'] else 'TEMPO X '} {'bar ok' if row['bar_ok'] else 'BAR X '} "
                  f"{'downbeat ok' if row['downbeat_ok'] else 'DOWNBEAT X'}  key {row['key']:9s} -> "
                  f"{row['key_got'] or 'none'}", flush=True)
    summarise(rows, spent, heard)


def summarise(rows: list[dict], spent: float, heard: float) -> None:
    n = len(rows)

    def share(name: str) -> str:
        hits = sum(r[name] for r in rows)
        return f"{hits}/{n} ({100 * hits / n:.0f}%)"

    named = [r for r in rows if r["key_got"]]
    right = sum(r["key_got"] == normal_key(r["key"]) for r in named)
    print(f"\n{n} songs, {LOW_BPM:.0f}-{HIGH_BPM:.0f} BPM:")
    print(f"  tempo within {TEMPO_TOLERANCE:.0%}:      {share('tempo_ok')}")
    print(f"  bar length right:       {share('bar_ok')}")
    print(f"  meter exactly right:    {share('meter_ok')}")
    print(f"  first downbeat on a bar line (70 ms): {share('downbeat_ok')}")
    print(f"  key named: {len(named)}/{n}, right when named: {right}/{len(named)}")
    errors = [abs(r["err"]) for r in rows if "err" in r and r["tempo_ok"]]
    if errors:
        print(f"  tempo error when right: median {100 * np.median(errors):.2f}%, worst {100 * max(errors):.2f}%")
    print(f"  speed: {heard / spent:.0f}x real time (load {os.getloadavg()[0]:.1f})")


def normal_key(key: str) -> str:
    """ "Db:major" -> "C#:major": the spelling the detector uses."""
    tonic, mode = key.split(":")
    same = {"Db": "C#", "D#": "Eb", "Gb": "F#", "G#": "Ab", "A#": "Bb", "Cb": "B", "Fb": "E", "E#": "F",
            "B#": "C"}
    return f"{same.get(tonic, tonic)}:{mode}"


if __name__ == "__main__":
    main()
