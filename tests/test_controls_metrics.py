"""Adherence metrics on tiny hand-checked inputs."""
from __future__ import annotations

import math

import numpy as np
import pytest

from engines.controls import (
    Controls,
    adherence,
    beat_f1,
    downbeat_f1,
    dynamics_correlation,
    melody_accuracy,
)

nan = np.nan


def test_melody_accuracy_counts_pitch_classes_over_specified_frames():
    target = np.array([60, 62, nan, 64, 65], np.float32)
    estimate = np.array([72, 1, 5, 4, nan], np.float32)  # octave, wrong, ignored, pc, missing
    assert melody_accuracy(target, estimate) == pytest.approx(2 / 4)


def test_melody_accuracy_pads_a_short_estimate_and_is_nan_without_target():
    assert melody_accuracy(np.array([0, 1, 2.0]), np.array([0.0])) == pytest.approx(1 / 3)
    assert math.isnan(melody_accuracy(np.full(4, nan), np.zeros(4)))


def test_dynamics_correlation():
    t = np.linspace(-40, 0, 50)
    assert dynamics_correlation(t, 0.5 * t - 3) == pytest.approx(1.0)
    assert dynamics_correlation(t, -t) == pytest.approx(-1.0)
    masked = t.copy()
    masked[10:20] = nan
    noisy = t.copy()
    noisy[10:20] = 99.0  # only where the target is unspecified
    assert dynamics_correlation(masked, noisy) == pytest.approx(1.0)
    assert math.isnan(dynamics_correlation(np.zeros(5), t[:5]))


def test_beat_f1_uses_a_70_ms_window():
    ref = np.arange(10) * 0.5
    assert beat_f1(ref, ref + 0.06) == 1.0
    assert beat_f1(ref, ref + 0.08) == 0.0
    half = ref[::2]
    assert beat_f1(ref, half) == pytest.approx(2 * 1.0 * 0.5 / 1.5)
    assert beat_f1([], []) == 1.0 and beat_f1(ref, []) == 0.0
    assert downbeat_f1(ref[::4], ref[::4] - 0.05) == 1.0


def test_adherence_of_controls_with_themselves():
    rng = np.random.default_rng(0)
    n = 300
    melody = np.where(rng.random(n) < 0.3, nan, 60 + rng.integers(0, 12, n)).astype(np.float32)
    c = Controls.build(n / 86.1328125, melody=melody, dynamics=-rng.random(n) * 20,
                       beats=np.arange(6) * 0.5, downbeats=[0.0, 2.0])
    audio_like = Controls.build(c.duration, melody_chroma=np.mod(melody, 12), dynamics=c.dynamics,
                                beats=c.beats, downbeats=c.downbeats)
    score = adherence(c, audio_like)
    assert score.melody_accuracy == 1.0 and score.dynamics_correlation == pytest.approx(1.0)
    assert score.beat_f1 == 1.0 and score.downbeat_f1 == 1.0
