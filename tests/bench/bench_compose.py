"""Benchmark of the shipped composer: speed on this CPU, likelihood beside baselines, musicality.

Prints (and with --json writes) three tables:

1. speed: infill one track over 8 bars of a 4-track, 32-bar project, and
   generate 4 tracks × 32 bars from nothing (median of --repeat runs, for 1
   and 2 torch threads);
2. likelihood: held-out Bach chorales (the test split, by default only those
   whose melody does not occur in the training split), each voice removed in
   turn: joint NLL per 16th step (pitch and onset, nats) and argmax accuracy,
   chain rule left to right, for the model and three baselines (uniform over
   the voice's range, the state histogram, an interpolated 3-gram);
3. musicality: each voice of those pieces infilled (shipped sampling settings)
   beside the real voice: share of notes in key, share of chord tones of the
   other voices, mean melodic interval, onset-position histogram distance;
4. liveliness (``engines.compose.liveliness``) of parts infilled over a few
   bars beside the real part, outside chorales: the demo project's Lead, Bass
   and Keys over bars 3-6 (8 seeds); a melody span in the middle of held-out
   Essen and O'Neill tunes, alone and with a synthetic accompaniment
   (``engines.compose.accompany``; its bass and keys too), and in held-out
   quartet movements (one span every 256 steps); held-out chorales as a
   control. Figures: onsets per bar (and the ratio to the real part), share
   of repeated-pitch onsets, distinct pitches per bar, mean |interval|,
   onset-position histogram distance;
5. band (``engines.compose.band_eval``): held-out band songs (``app.band_data``,
   the test split of their tunes, the styles taken in turn; ``--band-pieces``,
   default 60), two 4-bar
   spans each, bass then drums infilled: onsets per bar written/real (median),
   share of empty spans where the real part plays, bass in-key and chord-tone
   rates, drums' share of beats with a hit and of bars with a kick on beat 1;
   per style and overall;
6. band likelihood: the first two lanes of melody, bass, comping and drums
   of 8 of those songs, each given all the other lanes (chain rule, the model
   sees ±32 steps), NLL per step and accuracy, model and baselines (fitted on
   400 training songs).

Needs the parsed chorales (``partita train --data bach`` parses and caches
them, or they are parsed here, ~1 min). Run from the repository root:

    python tests/bench/bench_compose.py [--pieces 10 | --all] [--repeat 3] [--json out.json]
    python tests/bench/bench_compose.py --skip speed,likelihood,musicality   # liveliness only
    python tests/bench/bench_compose.py --only band,band-likelihood          # the band tables
    python tests/bench/bench_compose.py --only band --band-data a.npz,b.npz  # band songs packed beforehand
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from app.infill import load_composer  # noqa: E402
from app.train_data import corpus_pieces  # noqa: E402
from engines.compose.api import ComposeEngine, InfillTask  # noqa: E402
from engines.compose.data import by_split, unseen_melodies  # noqa: E402
from engines.compose.evaluate import likelihood_table, musicality  # noqa: E402
from engines.compose.grid import GridNote, GridTrack, bar_positions  # noqa: E402
from engines.compose import liveliness as lv  # noqa: E402

DEMO = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                    "resources", "demo", "demo.partita")


SECTIONS = ("speed", "likelihood", "musicality", "liveliness", "band", "band-likelihood")


def speed(engine: ComposeEngine, repeat: int) -> dict[str, dict[str, float]]:
    """Median seconds: 1 track × 8 bars infill in a 4-track 32-bar piece; 4 tracks × 32 bars from nothing;
    the drums × 8 bars of the same piece with a drum track."""
    roles = ("melody", "harmony", "counter", "bass")
    rng = np.random.default_rng(0)
    full = tuple(GridTrack(r, r, notes=tuple(GridNote(int(60 + 12 * (i == 0) - 12 * (i == 3) + rng.integers(-5, 6)),
                                                      4 * k, 4) for k in range(128))) for i, r in enumerate(roles))
    empty = tuple(GridTrack(r, r) for r in roles)
    kit = GridTrack("drums", "drums", is_drum=True, notes=tuple(
        GridNote(p, t, 1) for b in range(32) for p, t in ((36, 16 * b), (38, 16 * b + 4), (36, 16 * b + 8),
                                                          (38, 16 * b + 12), *((42, 16 * b + 2 * i) for i in range(8)))))
    jobs = {"infill 1 track x 8 bars": InfillTask(full, write=(1,), start=192, stop=320, n_steps=512),
            "generate 4 tracks x 32 bars": InfillTask(empty, write=(0, 1, 2, 3), start=0, stop=512, n_steps=512),
            "infill drums x 8 bars (5 tracks)": InfillTask((*full, kit), write=(4,), start=192, stop=320,
                                                           n_steps=512)}
    out: dict[str, dict[str, float]] = {}
    for threads in (1, 2):
        torch.set_num_threads(threads)
        engine.infill(jobs["infill 1 track x 8 bars"], seed=0)
        for name, task in jobs.items():
            times = []
            for k in range(repeat):
                t = time.perf_counter()
                engine.infill(task, seed=k)
                times.append(time.perf_counter() - t)
            out.setdefault(name, {})[f"{threads} thread{'s' * (threads > 1)}"] = statistics.median(times)
    return out


def demo_liveliness(engine: ComposeEngine, seeds: int = 8) -> dict[str, dict]:
    """The demo's Lead, Bass and Keys infilled over bars 3-6 (each alone), ``seeds`` seeds each."""
    from app.infill import InfillRequest, build_task
    from app.projectfile import load_project

    project = load_project(DEMO)
    out = {}
    for name in ("Lead", "Bass", "Keys"):
        task = build_task(project, InfillRequest(track_ids=(project.track_named(name).id,), bars=(3, 6)))
        pos = bar_positions(task.n_steps, task.steps_per_bar)  # type: ignore[attr-defined]
        real, written = lv.Counts(), lv.Counts()
        for seed in range(seeds):
            [result] = engine.infill(task, seed=seed)  # type: ignore[arg-type]
            real += lv.part_counts(task.tracks[task.write[0]].notes, task.start, task.stop, pos)  # type: ignore
            written += lv.part_counts(result.notes[0], task.start, task.stop, pos)  # type: ignore[attr-defined]
        out[f"demo {name}"] = lv.compare(real, written)
    return out


def corpus_liveliness(engine: ComposeEngine, n: int) -> dict[str, dict]:
    """Span infills in held-out pieces of the other corpora (see the module docstring)."""
    from engines.compose.accompany import accompanied

    test = {name: by_split(corpus_pieces(name))["test"] for name in ("essen", "oneills", "quartets", "bach")}
    tunes = [t for pair in zip(test["essen"][:2 * n], test["oneills"][:2 * n]) for t in pair]
    folk = accompanied(tunes, seed=0)
    plans = [("essen melody", test["essen"], 0, lv.melody_lanes),
             ("oneills melody", test["oneills"], 0, lv.melody_lanes),
             ("folk+acc melody", folk, 0, lv.melody_lanes),
             ("folk+acc bass", folk, 0, lv.role_lanes("bass")),
             ("folk+acc keys", folk, 0, lv.role_lanes("harmony")),
             ("quartet melody", test["quartets"], 256, lv.melody_lanes),
             ("chorale soprano", test["bach"], 0, lv.melody_lanes)]
    return {label: lv.compare(*lv.infill_contexts(engine.model, lv.contexts(pieces, n, every=every, lanes_of=lanes),
                                                  engine.sample))  # type: ignore[arg-type]
            for label, pieces, every, lanes in plans}


def band_tables(model: object, engine: ComposeEngine, n: int, skip: set[str], data: str = "") -> dict[str, object]:
    """The band span table and the band likelihood table (see the module docstring); ``data``:
    comma-separated packed band songs to read instead of ``app.band_data.band_pieces()``."""
    from app.band_data import band_pieces
    from app.train_data import load_pieces
    from engines.compose import band_eval as be

    split = by_split([p for f in data.split(",") for p in load_pieces(Path(f))] if data else band_pieces())
    test = be.balanced(split["test"], n)
    out: dict[str, object] = {"band_pieces": [p.name for p in test]}
    if "band" not in skip:
        torch.set_num_threads(1)
        t = time.perf_counter()
        rows = be.span_rows(engine, test)
        out["band"] = table = be.summary(rows)
        print(f"band ({time.perf_counter() - t:.0f} s, {len(test)} songs, {len(rows)} spans): onsets/bar written/real"
              " (median) | empty spans | bass in key real->written | chord tone | drums beats hit | kick on 1")
        for style, roles in table.items():
            b, d = roles.get("bass", {}), roles.get("drums", {})
            print(f"  {style:<9} bass x{b.get('onset_ratio_median', float('nan')):.2f} empty {b.get('empty_share', 0):.2f}"
                  f" key {b.get('in_key real', 0):.2f}->{b.get('in_key written', 0):.2f}"
                  f" chord {b.get('chord_tone real', 0):.2f}->{b.get('chord_tone written', 0):.2f} | drums"
                  f" x{d.get('onset_ratio_median', float('nan')):.2f} empty {d.get('empty_share', 0):.2f}"
                  f" beats {d.get('beats_hit real', 0):.2f}->{d.get('beats_hit written', 0):.2f}"
                  f" kick1 {d.get('kick_on_1 real', 0):.2f}->{d.get('kick_on_1 written', 0):.2f}")
    if "band-likelihood" not in skip:
        torch.set_num_threads(2)
        train = split["train"][:400]
        out["band_likelihood"] = lik = be.role_likelihood(model, train, test[:8],  # type: ignore[arg-type]
                                                          ("melody", "bass", "harmony", "drums"), view=64)
        print("band likelihood (8 songs, the first 2 lanes of each role, each given the rest, ±32 steps seen):"
              " NLL nats/step | accuracy")
        for method, per in lik.items():
            print(f"  {method:<10}" + "  ".join(f"{r}: {v['nll']:.3f} | {v['acc']:.3f}" for r, v in per.items()))
    return out


def print_liveliness(table: dict[str, dict]) -> None:
    print("liveliness (real -> infilled): onsets/bar (ratio) | repeated-pitch onsets | distinct pitches/bar"
          " | mean |interval| | onset-position histogram distance")
    for label, v in table.items():
        r, w = v["real"], v["written"]
        print(f"  {label:<16} {r['onsets_per_bar']:5.2f} -> {w['onsets_per_bar']:5.2f} (x{w['onset_ratio']:.2f}) | "
              f"{r['repeated']:.2f} -> {w['repeated']:.2f} | {r['distinct_per_bar']:.2f} -> {w['distinct_per_bar']:.2f}"
              f" | {r['mean_interval']:.2f} -> {w['mean_interval']:.2f} | {w['onset_hist_distance']:.2f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pieces", type=int, default=10, help="held-out chorales to score (default 10)")
    ap.add_argument("--all", action="store_true", help="score every held-out chorale")
    ap.add_argument("--with-seen-melodies", action="store_true",
                    help="also score test chorales whose melody appears in the training split")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--skip", default="", help="comma-separated: speed, likelihood, musicality, liveliness, "
                    "band, band-likelihood")
    ap.add_argument("--only", default="", help="comma-separated sections to run (the others are skipped)")
    ap.add_argument("--band-pieces", type=int, default=60, help="held-out band songs (default 60)")
    ap.add_argument("--band-data", default="", help="comma-separated .npz of band songs (default: every Essen and "
                    "O'Neill tune's song, rendered once and cached)")
    ap.add_argument("--live-spans", type=int, default=40, help="spans per corpus context in liveliness (default 40)")
    ap.add_argument("--json", help="also write the figures here")
    ap.add_argument("--model", help="composer weights to measure (default: the installed composer)")
    args = ap.parse_args()
    if args.only:
        args.skip = ",".join(s for s in SECTIONS if s not in args.only.split(","))
    skip = set(args.skip.split(","))  # whole names: "likelihood" is not "band-likelihood"
    model = load_composer(Path(args.model) if args.model else None)
    engine = ComposeEngine(model)
    figures: dict[str, object] = {}
    if "speed" not in skip:
        figures["speed"] = speed(engine, args.repeat)
        print("speed (seconds, median):", json.dumps(figures["speed"], indent=1))
    torch.set_num_threads(2)
    split = by_split(corpus_pieces("bach"))
    test = split["test"] if args.with_seen_melodies else unseen_melodies(split["test"], split["train"] + split["valid"])
    test = test if args.all else test[:args.pieces]
    figures["test_pieces"] = [p.name for p in test]
    print(f"{len(test)} held-out chorales, {sum(p.n_steps for p in test)} steps each voice")
    if "likelihood" not in skip:
        t = time.perf_counter()
        figures["likelihood"] = table = likelihood_table(model, split["train"], test)
        print(f"likelihood ({time.perf_counter() - t:.0f} s): NLL nats/step | accuracy")
        for method, per in table.items():
            print(f"  {method:<10}" + "  ".join(f"{v}: {s['nll']:.3f} | {s['acc']:.3f}" for v, s in per.items()))
    if "musicality" not in skip:
        figures["musicality"] = music = musicality(model, test)
        print("musicality (infilled vs real):")
        for key in ("in_key", "chord_tone", "mean_interval"):
            real, made = music["real"][key], music["infilled"][key]
            print(f"  {key:<14} real {real:.3f}  infilled {made:.3f}  ({100 * (made - real) / real:+.1f}%)")
        print(f"  onset-position histogram distance (total variation): {music['infilled']['onset_hist_distance']:.3f}")
        print(f"  notes: real {music['real']['notes']:.0f}, infilled {music['infilled']['notes']:.0f}; "
              f"{music['infilled']['seconds_per_voice']:.2f} s per voice")
    if "liveliness" not in skip:
        torch.set_num_threads(1)
        t = time.perf_counter()
        figures["liveliness"] = live = {**demo_liveliness(engine), **corpus_liveliness(engine, args.live_spans)}
        print(f"liveliness ({time.perf_counter() - t:.0f} s)")
        print_liveliness(live)
    if "band" not in skip or "band-likelihood" not in skip:
        figures.update(band_tables(model, engine, args.band_pieces, skip, args.band_data))
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(figures, fh, indent=1)


if __name__ == "__main__":
    main()
