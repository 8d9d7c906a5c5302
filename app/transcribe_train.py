"""Fitting the drum classifier: random drum patterns rendered through engines/render, labelled
by the notes that made them.

The patterns are made up here (nothing is read from the benchmark's songs):
hi-hats or a ride on eighths or sixteenths, kicks and snares where rock, pop
and Latin patterns put them plus random extras and ghost notes, tom fills,
crashes on phrase starts and, in some songs, hand percussion and shakers, all
at random velocities and tempos. Each pattern is rendered with each kit (the
SoundFonts found on this machine and the built-in synthesiser); the onsets
the engine detects are labelled with the classes of the hits within 40 ms,
and ``engines.transcribe.drum_model.fit`` fits the classifier to them.

Run ``python -m app.transcribe_train OUT.safetensors [--songs N] [--seed S]``
(minutes on two cores). The shipped ``resources/models/drum-classifier.safetensors``
was made with the defaults; its card says with what.
"""
from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import numpy as np

from engines.common import Note
from engines.render import Part, SoundFont, render_part

KIT_FONTS = ("/usr/share/sounds/sf2/FluidR3_GM.sf2", "/usr/share/sounds/sf2/TimGM6mb.sf2")
"""SoundFonts whose kits the material is rendered with (those present), besides the built-in kit."""
STEPS_PER_BAR = 16
BARS = 8
PERCUSSION = (54, 56, 60, 61, 62, 63, 64, 69, 70, 75, 76, 77, 80, 82)
"""Hand percussion, shakers and bells some songs get."""


def random_pattern(rng: random.Random) -> list[Note]:
    """One song's drum part: ``BARS`` bars of sixteenths at a random tempo, in seconds."""
    step = 60.0 / rng.uniform(70, 180) / 4
    swing = rng.choice((0.0, 0.0, 0.33)) * step
    ride = rng.random() < 0.25
    sixteenths = rng.random() < 0.4
    percussion = rng.random() < 0.4
    notes: list[Note] = []
    for bar in range(BARS):
        for s in range(STEPS_PER_BAR):
            at = (bar * STEPS_PER_BAR + s) * step + (swing if s % 2 else 0.0) + rng.gauss(0, 0.004)
            for pitch, velocity in _hits(rng, bar, s, ride=ride, sixteenths=sixteenths, percussion=percussion):
                notes.append(Note(pitch, max(0.0, at), 0.1, velocity))
    return notes


def _hits(rng: random.Random, bar: int, s: int, *, ride: bool, sixteenths: bool,
          percussion: bool) -> list[tuple[int, int]]:
    """(GM note, velocity) of what plays at sixteenth ``s`` of bar ``bar``."""
    out = []
    fill = bar % 4 == 3 and s >= 8
    if s % 2 == 0 or sixteenths:
        if rng.random() < (0.9 if s % 2 == 0 else 0.6) and not (fill and rng.random() < 0.5):
            out.append((51 if ride else rng.choice((42, 42, 42, 44, 46)), rng.randint(40, 110)))
    if rng.random() < {0: 0.95, 8: 0.7}.get(s, 0.12):
        out.append((rng.choice((36, 36, 35)), rng.randint(70, 127)))
    if s in (4, 12) and rng.random() < 0.9:
        out.append((rng.choice((38, 38, 40, 37, 39)), rng.randint(80, 127)))
    elif rng.random() < 0.08:
        out.append((38, rng.randint(25, 55)))
    if fill and rng.random() < 0.35:
        out.append((rng.choice((41, 43, 45, 47, 48, 50)), rng.randint(60, 120)))
    if s == 0 and bar % 4 == 0 and rng.random() < 0.7:
        out.append((rng.choice((49, 57, 52, 55)), rng.randint(70, 120)))
    if percussion and rng.random() < 0.2:
        out.append((rng.choice(PERCUSSION), rng.randint(40, 110)))
    return out


def kits() -> list[SoundFont | None]:
    """The SoundFonts of ``KIT_FONTS`` that exist here, and None for the built-in kit."""
    found: list[SoundFont | None] = [SoundFont(Path(p).name, Path(p).read_bytes())
                                     for p in KIT_FONTS if Path(p).is_file()]
    return found + [None]


def material(songs: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(features float32 (n_hits, N_FEATURES), labels float32 (n_hits, n_classes)) of ``songs``
    random patterns, each rendered with every kit."""
    from engines.transcribe import drums
    from engines.transcribe.features import features
    from engines.transcribe.nmp import SAMPLE_RATE, frame_times, frames_for, to_network_rate

    rng = random.Random(seed)
    xs, ys = [], []
    fonts = kits()
    for k in range(songs):
        notes = random_pattern(rng)
        font = fonts[k % len(fonts)]
        audio = render_part(Part(tuple(notes), is_drum=True), sample_rate=SAMPLE_RATE, sound_font=font).audio
        signal = to_network_rate(audio, SAMPLE_RATE)
        n = frames_for(len(signal))
        frames, found = drums.hits(features(signal, n))
        xs.append(found)
        ys.append(drums.hit_labels(frame_times(n)[frames], np.array([x.start for x in notes]),
                                   np.array([x.pitch for x in notes])))
        print(f"song {k + 1}/{songs}: {len(frames)} onsets ({font.name if font else 'built-in kit'})",
              file=sys.stderr)
    return np.concatenate(xs), np.concatenate(ys)


def main(argv: list[str] | None = None) -> int:
    from safetensors.numpy import save_file

    from app.devices import configure_threads
    from engines.transcribe.drum_model import fit, to_arrays

    parser = argparse.ArgumentParser(prog="python -m app.transcribe_train",
                                     description="Fit the drum classifier on rendered random patterns.")
    parser.add_argument("output", help="the .safetensors file to write")
    parser.add_argument("--songs", type=int, default=90, help="patterns to render (default 90)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    args = parser.parse_args(argv)
    configure_threads()
    x, y = material(args.songs, args.seed)
    model = fit(x, y)
    arrays, meta = to_arrays(model, {"songs": str(args.songs), "seed": str(args.seed), "hits": str(len(x))})
    save_file(arrays, args.output, metadata=meta)
    print(f"wrote {args.output}: {len(x)} hits, labels per class {y.sum(axis=0).astype(int).tolist()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
