"""Benchmark: real-time factor of rendering a 4-track, 32-bar project with the built-in synth.

Prints the seconds of music, the render time and the real-time factor (music
seconds per render second), cold (empty note cache, as after start-up) and
warm (notes cached, as when the GUI re-renders after an edit). Run from the
repository root:

    python tests/bench/bench_render.py [--bars 32] [--sample-rate 44100] [--repeat 3]
"""
from __future__ import annotations

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

import numpy as np  # noqa: E402

from app.mixdown import render_project  # noqa: E402
from app.project import PPQ, MidiTrack, Note, Project, Role  # noqa: E402
from app.rendered_tracks import RenderedTracks  # noqa: E402
from engines.common import CONTROL_FRAME_RATE  # noqa: E402
from engines.render.builtin import note_cache  # noqa: E402

CHORDS = ((0, 4, 7), (9, 12, 16), (5, 9, 12), (7, 11, 14))


def bench_project(bars: int, seed: int = 0) -> Project:
    """Melody in eighths, strings chords, bass in eighths, a 16th-note drum groove;
    velocities humanised, a dynamics swell over the whole song."""
    rng = np.random.default_rng(seed)
    project = Project(name="Bench", length_bars=bars)
    bar = 4 * PPQ
    melody, chords, bass, drums = [], [], [], []
    for b in range(bars):
        root = 60 + CHORDS[b % 4][0]
        for k in range(8):
            pitch = root + 12 + int(rng.choice([0, 2, 4, 5, 7, 9]))
            melody.append(Note(pitch, b * bar + k * PPQ // 2, PPQ // 2, int(rng.integers(70, 115))))
            bass.append(Note(root - 24 + (12 if k % 4 == 3 else 0), b * bar + k * PPQ // 2,
                             PPQ // 2 - 20, int(rng.integers(85, 110))))
        for offset in CHORDS[b % 4]:
            chords.append(Note(60 + offset - 12, b * bar, bar, 80))
        for s in range(16):
            t = b * bar + s * PPQ // 4
            drums.append(Note(42 if s % 8 != 6 else 46, t, 60, int(rng.integers(60, 100))))
            if s % 8 == 0:
                drums.append(Note(36, t, 60, 110))
            if s % 8 == 4:
                drums.append(Note(38, t, 60, 105))
    project.tracks += [MidiTrack("Lead", melody, role=Role.MELODY, program=81),
                       MidiTrack("Strings", chords, role=Role.HARMONY, program=48),
                       MidiTrack("Bass", bass, role=Role.BASS, program=33),
                       MidiTrack("Drums", drums, role=Role.DRUMS, is_drum=True)]
    frames = project.n_frames
    t = np.arange(frames) / CONTROL_FRAME_RATE
    project.curves["dynamics"] = (-9 + 9 * np.cos(2 * np.pi * t / 16)).astype(np.float32)
    return project


def timed(project: Project, sample_rate: int) -> float:
    start = time.perf_counter()
    render_project(project, sample_rate=sample_rate, cache=RenderedTracks(), sound_font=None)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bars", type=int, default=32)
    parser.add_argument("--sample-rate", type=int, default=44100)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    project = bench_project(args.bars)
    notes = sum(len(t.notes) for t in project.midi_tracks())
    timed(bench_project(1), args.sample_rate)  # imports (scipy) outside the timing
    cold, warm = [], []
    for _ in range(args.repeat):
        note_cache().clear()
        cold.append(timed(project, args.sample_rate))
        warm.append(timed(project, args.sample_rate))
    music = project.duration
    print(f"project: 4 tracks, {args.bars} bars, {notes} notes, {music:.1f} s of music, "
          f"{args.sample_rate} Hz; note cache {len(note_cache())} waveforms, "
          f"{note_cache().nbytes / 2**20:.0f} MiB")
    for label, times in (("cold", cold), ("warm", warm)):
        best = min(times)
        print(f"{label}: best {best:.3f} s of {len(times)} -> real-time factor {music / best:.0f}x")


if __name__ == "__main__":
    main()
