"""Beats and downbeats of multitrack music rendered from notes, whose true grid is known.

The pieces here were not used to choose the bar-tracking weights (those came
from tests/bench/bench_controls_beats.py's set); the bench prints the full
per-piece table.
"""
from __future__ import annotations

import numpy as np
import pytest

from engines.controls import beat_f1, downbeat_f1, extract_controls
from tests import pieces

HELD_OUT = [(21, 112, (4, 4), True), (22, 88, (3, 4), True), (23, 144, (4, 4), True),
            (24, 76, (4, 4), False), (25, 132, (3, 4), False), (26, 104, (4, 4), True),
            (27, 120, (6, 8), True), (28, 96, (4, 4), True)]


@pytest.mark.slow
def test_rendered_multitrack_beats_and_downbeats():
    scores = []
    for seed, bpm, meter, drums in HELD_OUT:
        piece = pieces.arrangement(seed, bpm, meter, drums=drums)
        got = extract_controls(pieces.audio(piece), 44100)
        scores.append((beat_f1(piece.beats, got.beats), downbeat_f1(piece.downbeats, got.downbeats)))
        print(f"{piece.name}: beat F1 {scores[-1][0]:.2f}, downbeat F1 {scores[-1][1]:.2f}")
    chorale = pieces.chorale("bach/bwv281", 84)
    got = extract_controls(pieces.audio(chorale), 44100)
    scores.append((beat_f1(chorale.beats, got.beats), downbeat_f1(chorale.downbeats, got.downbeats)))
    beat, down = np.mean(scores, axis=0)
    print(f"mean over {len(scores)} pieces: beat F1 {beat:.3f}, downbeat F1 {down:.3f}")
    assert beat >= 0.9
    assert down >= 0.8
