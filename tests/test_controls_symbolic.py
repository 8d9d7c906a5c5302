"""Controls from notes: top voice, velocity/expression dynamics, onset density, grids."""
from __future__ import annotations

import numpy as np
import pytest

from engines.common import CONTROL_FRAME_RATE, Note
from engines.controls import (
    NotePart,
    controls_from_notes,
    dynamics_correlation,
    frame_times,
    metric_grid,
)


def at(controls_curve: np.ndarray, seconds: float) -> float:
    return float(controls_curve[int(round(seconds * CONTROL_FRAME_RATE))])


def test_top_voice_is_the_melody():
    chords = NotePart((Note(60, 0.0, 2.0), Note(64, 0.0, 2.0), Note(79, 2.0, 1.0)))
    lead = NotePart((Note(72, 0.5, 1.0), Note(74, 2.5, 0.25)))
    got = controls_from_notes([chords, lead], duration=4.0)
    assert at(got.melody, 0.25) == 64.0
    assert at(got.melody, 1.0) == 72.0
    assert at(got.melody, 2.2) == 79.0
    assert np.isnan(at(got.melody, 3.5))
    assert at(got.melody_chroma, 1.0) == 0.0


def test_a_marked_melody_part_wins_over_higher_accompaniment():
    high_pad = NotePart((Note(84, 0.0, 4.0),))
    lead = NotePart((Note(67, 1.0, 1.0),), melody=True)
    got = controls_from_notes([high_pad, lead], duration=4.0)
    assert at(got.melody, 1.5) == 67.0
    assert np.isnan(at(got.melody, 3.0))


def test_drums_never_make_the_melody():
    kit = NotePart((Note(49, 0.0, 1.0),), is_drum=True)
    got = controls_from_notes([kit], duration=1.0)
    assert np.all(np.isnan(got.melody))


def test_velocity_crescendo_gives_rising_dynamics():
    notes = tuple(Note(60, 0.25 * i, 0.25, 20 + 10 * i) for i in range(11))
    got = controls_from_notes([NotePart(notes)], duration=2.75)
    middle = got.dynamics[int(0.5 * CONTROL_FRAME_RATE): int(2.25 * CONTROL_FRAME_RATE)]
    assert np.all(np.diff(middle) > -0.05)
    assert got.dynamics.max() == 0.0
    expected = 40 * np.log10((20 + 10 * np.floor(frame_times(got.n_frames) / 0.25)) / 127)
    assert dynamics_correlation(expected[40:-40], got.dynamics[40:-40]) > 0.98


def test_expression_curve_lowers_the_dynamics():
    notes = tuple(Note(60, 0.5 * i, 0.5, 100) for i in range(8))
    n = int(np.ceil(4 * CONTROL_FRAME_RATE))
    expression = np.full(n, np.nan, np.float32)
    expression[n // 2:] = -12.0
    got = controls_from_notes([NotePart(notes, expression_db=expression)], duration=4.0)
    assert at(got.dynamics, 0.4) == pytest.approx(0.0, abs=0.6)
    assert at(got.dynamics, 3.6) == pytest.approx(-12.0, abs=0.6)


def test_track_gain_and_chords_add_power():
    one = controls_from_notes([NotePart((Note(60, 0, 1.0),)), NotePart((Note(64, 1.0, 1.0),), gain_db=-6)],
                              duration=2.0, config=None)
    assert at(one.dynamics, 1.5) - at(one.dynamics, 0.5) == pytest.approx(-6.0, abs=1.0)


def test_onset_density_counts_notes_per_second():
    notes = tuple(Note(60 + i % 5, 0.25 * i, 0.2) for i in range(40))  # 4 a second
    got = controls_from_notes([NotePart(notes)], duration=10.0)
    middle = got.rhythm[int(2 * CONTROL_FRAME_RATE): int(8 * CONTROL_FRAME_RATE)]
    assert np.allclose(middle, 4.0, atol=0.2)
    assert at(got.rhythm, 9.9) < 3.0


def test_simultaneous_onsets_count_once():
    chord = tuple(Note(p, float(i), 0.5) for i in range(10) for p in (60, 64, 67))
    got = controls_from_notes([NotePart(chord)], duration=10.0)
    assert at(got.rhythm, 5.0) == pytest.approx(1.0, abs=0.15)


@pytest.mark.parametrize("meter,beat,per_bar", [((4, 4), 0.5, 4), ((3, 4), 0.5, 3),
                                                 ((6, 8), 0.75, 2), ((2, 2), 1.0, 2)])
def test_metric_grid(meter, beat, per_bar):
    beats, downbeats = metric_grid(120, *meter, 12.0)
    np.testing.assert_allclose(np.diff(beats), beat)
    np.testing.assert_allclose(downbeats, beats[::per_bar])
    assert beats[0] == 0.0 and beats[-1] < 12.0


def test_beats_are_kept_inside_the_duration():
    beats, downbeats = metric_grid(120, 4, 4, 10.0)
    got = controls_from_notes([], duration=3.0, beats=beats, downbeats=downbeats)
    assert got.beats.tolist() == [0.0, 0.5, 1.0, 1.5, 2.0, 2.5]
    assert got.downbeats.tolist() == [0.0, 2.0]


def test_empty_parts_give_unspecified_melody_and_floor_dynamics():
    got = controls_from_notes([], duration=2.0)
    assert got.n_frames == int(np.ceil(2.0 * CONTROL_FRAME_RATE))
    assert np.all(np.isnan(got.melody))
    assert np.all(got.dynamics == -80.0)
