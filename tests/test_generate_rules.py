"""engines.generate without the composer: beat grids, melody placement and realisation,
drums, velocities, levelling and the key."""
from __future__ import annotations

import numpy as np
import pytest

from engines.common import CONTROL_FRAME_RATE, Note
from engines.controls.config import ControlsConfig
from engines.controls.symbolic import NotePart
from engines.generate import drums, melody
from engines.generate.dynamics import curve_at, metric_accent, velocities
from engines.generate.leveling import level, music_level
from engines.generate.timing import BeatGrid, grid_from_beats, grid_from_tempo, meter_beats
from engines.generate.tonality import choose_key, curve_histogram

FR = CONTROL_FRAME_RATE


def test_meters_count_beats_as_a_listener_taps_them():
    assert meter_beats(4, 4) == (4, 4) and meter_beats(3, 4) == (3, 4)
    assert meter_beats(6, 8) == (2, 6) and meter_beats(12, 8) == (4, 6) and meter_beats(7, 8) == (7, 2)
    with pytest.raises(ValueError):
        meter_beats(4, 32)


def test_constant_tempo_grid_converts_both_ways():
    grid = grid_from_tempo(120, 4, 4, 9.0)
    assert grid.n_bars == 5 and grid.n_beats == 20 and grid.n_steps == 80
    np.testing.assert_allclose(grid.step_seconds([0, 4, 16, 100]), [0.0, 0.5, 2.0, 12.5])
    np.testing.assert_allclose(grid.seconds_to_steps([0.25, 2.0, 12.5]), [2.0, 16.0, 100.0])
    np.testing.assert_allclose(grid.bpm(), 120.0)


def test_beats_with_a_pickup_missed_beats_and_drift_become_bar_lines():
    beats = 0.52 + np.cumsum(np.r_[0, np.linspace(0.5, 0.45, 39)])  # speeding up
    downbeats = beats[2::4]
    given = np.delete(beats, [9, 10, 25])
    grid = grid_from_beats(given, downbeats, 20.0)
    assert grid is not None and (grid.numerator, grid.denominator) == (4, 4)
    assert grid.first_beat == 2, "0.52 s is the third beat of bar 1: two lead-in beats"
    on_grid = grid.seconds_to_steps(beats) / grid.steps_per_beat
    np.testing.assert_allclose(on_grid, np.round(on_grid), atol=0.02)
    bars = grid.seconds_to_steps(downbeats) / grid.steps_per_bar
    np.testing.assert_allclose(bars, np.round(bars), atol=0.01)
    assert grid.bpm()[-1] > grid.bpm()[3] * 1.08, "the tempo map follows the drift"
    assert grid.times[-1] >= 20.0


def test_three_beats_between_downbeats_make_three_four():
    beats = np.arange(0.3, 10.0, 0.6)
    grid = grid_from_beats(beats, beats[1::3], 10.0)
    assert (grid.numerator, grid.denominator) == (3, 4) and grid.first_beat == 2
    np.testing.assert_allclose(grid.times[:4], [0.0, 0.15, 0.3, 0.9])
    early = grid_from_beats(beats - 0.3, beats[1::3] - 0.3, 10.0)
    assert early.first_beat == 3 and abs(early.times[3] - 0.6) < 1e-9, "a beat at 0:00 that is no bar line is dropped"
    assert grid_from_beats(beats, beats[::3], 10.0, meter=(6, 8)).numerator == 3, "downbeats win"
    assert grid_from_beats(np.array([1.0]), None, 5.0) is None


def test_octaves_of_a_pitch_class_line_stay_in_range_and_step_rather_than_leap():
    chroma = np.repeat([0, 2, 4, 5, 7, 9, 11, 0, 11, 9], 10).astype(np.float32)
    chroma[50:55] = np.nan
    placed = melody.place_octaves(chroma, low=60, high=84, center=70)
    given = ~np.isnan(chroma)
    assert np.array_equal(np.isnan(placed), ~given)
    assert np.all(np.mod(placed[given], 12) == chroma[given])
    assert placed[given].min() >= 60 and placed[given].max() <= 84
    steps = np.abs(np.diff(placed[given]))
    assert steps.max() <= 2, "a scale stays a scale, no octave jumps"


def test_flicker_merges_and_steps_lock_to_their_most_frequent_pitch():
    pitch = np.array([60] * 10 + [61] + [62] * 10 + [np.nan] * 6, dtype=np.float32)
    merged = melody.merge_short_runs(pitch, 2)
    assert 61 not in merged and np.isnan(merged[-6:]).all()
    locks = melody.step_locks(merged, np.arange(len(pitch)) / 5.0, 6)
    assert locks.tolist() == [60, 60, 62, 62, -1, -1], "step 4 has one specified frame of five"


def test_realised_melody_sounds_the_curve_and_keeps_composed_notes_in_free_time():
    n = int(4 * FR)
    pitch = np.full(n, np.nan, dtype=np.float32)
    pitch[: n // 2] = 67
    pitch[n // 4: n // 2] = 69
    composed = [Note(64, 0.0, 0.5, 80), Note(65, 0.5, 0.5, 80), Note(72, 2.5, 1.0, 90), Note(71, 1.9, 0.4, 70)]
    notes = melody.realize(pitch, composed, min_note=0.06)
    sounding = melody.runs(pitch)
    for a, b, p in sounding:
        start, end = melody.frame_edges(a, b)
        inside = [x for x in notes if start - 1e-9 <= x.start < end - 1e-9]
        assert {x.pitch for x in inside} == {p}
        assert abs(inside[0].start - start) < 1e-9 and abs(inside[-1].end - end) < 1e-9
    assert any(abs(x.start - 0.5) < 1e-9 and x.pitch == 67 for x in notes), "struck again where composed"
    assert Note(72, 2.5, 1.0, 90) in notes
    free = [x for x in notes if x.pitch == 71]
    assert free and free[0].start >= melody.frame_edges(0, n // 2)[1] - 1e-9


def test_drums_follow_the_beats_and_close_phrases_with_fills():
    grid = grid_from_tempo(120, 4, 4, 16.0)
    hits = drums.drum_notes(grid, "straight8", np.ones(grid.n_bars, int), np.zeros(grid.n_beats), seed=1)
    kicks = np.array([h.start for h in hits if h.pitch == drums.KICK])
    for bar in range(grid.n_bars):
        assert np.min(np.abs(kicks - 2.0 * bar)) < 0.02, "a kick on every downbeat"
    toms = [h for h in hits if h.pitch in drums.TOMS]
    assert toms and all(3 * 2.0 + 1.5 - 0.03 < h.start < 4 * 2.0 for h in toms if h.start < 8.0)
    assert any(h.pitch == drums.CRASH and abs(h.start - 8.0) < 0.03 for h in hits)
    again = drums.drum_notes(grid, "straight8", np.ones(grid.n_bars, int), np.zeros(grid.n_beats), seed=1)
    assert again == hits


def test_density_levels_and_dynamics_shape_the_drums():
    grid = grid_from_tempo(100, 4, 4, 4.8)
    count = lambda level: len(drums.drum_notes(grid, "straight8", np.full(2, level), np.zeros(8)))  # noqa: E731
    assert count(0) < count(1) < count(2)
    loud = drums.drum_notes(grid, "straight8", np.ones(2, int), np.zeros(8), seed=0)
    soft = drums.drum_notes(grid, "straight8", np.ones(2, int), np.full(8, -24.0), seed=0)
    assert np.mean([h.velocity for h in soft]) < np.mean([h.velocity for h in loud]) - 20
    late = BeatGrid(np.arange(9) * 0.6, 4, 4, first_beat=2)
    assert min(h.start for h in drums.drum_notes(late, "straight8", np.ones(2, int), np.zeros(8))) > 1.15


@pytest.mark.parametrize("style,meter", [("waltz", (3, 4)), ("six_eight", (6, 8)), ("shuffle", (4, 4)),
                                         ("bossa", (4, 4)), ("four_on_floor", (4, 4)), ("halftime", (4, 4)),
                                         ("sixteenths", (4, 4))])
def test_every_groove_puts_something_on_every_beat(style, meter):
    grid = grid_from_tempo(110, *meter, 8.0)
    hits = drums.drum_notes(grid, style, np.ones(grid.n_bars, int), np.zeros(grid.n_beats))
    starts = np.array([h.start for h in hits])
    beats = grid.beat_seconds(np.arange(grid.n_beats))
    assert all(np.min(np.abs(starts - b)) < 0.02 for b in beats)


def test_velocities_follow_the_dynamics_and_the_metre():
    db = curve_at(np.array([np.nan, -20.0, np.nan, 0.0], np.float32), np.array([0.0, 1.5, 2.5]) / FR)
    np.testing.assert_allclose(db, [-20.0, -15.0, -5.0])
    v = velocities(100, np.array([0.0, -10.0, -20.0, -40.0]), share=0.5)
    assert list(v) == sorted(v, reverse=True) and v[0] == 100
    assert metric_accent(np.array([0.0, 1.0, 1.5, 1.25, 4.0]), 4).tolist() == [8, 4, 0, -4, 8]
    assert curve_at(None, np.zeros(3)).tolist() == [0.0, 0.0, 0.0]


def test_levelling_brings_the_loudness_shape_onto_the_curve():
    n = int(8 * FR)
    t = np.arange(n) / FR
    target = (-6.0 + 5.0 * np.sin(2 * np.pi * t / 8.0)).astype(np.float32)
    target = target - target.max()
    chords = NotePart(tuple(Note(60 + i, 2.0 * b, 2.0, 90) for b in range(4) for i in (0, 4, 7)))
    busy = NotePart(tuple(Note(72, 0.25 * k, 0.2, 90) for k in range(16)))  # only the first 4 s
    cfg = ControlsConfig()
    err = lambda parts: np.std(music_level(parts, n, cfg) - 1.5 * target)  # noqa: E731
    before = [chords, busy]
    after = level(before, target, scale=1.5, rounds=3)
    assert err(after) < 0.5 * err(before)
    fixed = level(before, target, scale=1.5, fixed=[True, False])
    assert fixed[0] is chords


def test_the_key_is_asked_for_or_found():
    d_minor = np.zeros(12)
    d_minor[[2, 4, 5, 7, 9, 10, 1]] = [5, 2, 4, 2, 4, 2, 1]
    assert choose_key(d_minor) == 14
    assert choose_key(d_minor, tonic=2) == 14 and choose_key(d_minor, mode="major") < 12
    assert choose_key(np.zeros(12), tonic=7, mode="minor") == 19
    assert choose_key(np.zeros(12), mode="minor") == 21
    assert curve_histogram(np.array([62.0, np.nan, 2.0, 14.0]))[2] == 3


def test_the_composers_own_conditioning_is_built_per_step_and_only_for_trained_weights():
    from engines.generate.attributes import Attributes, resolved
    from engines.generate.conditioning import attribute_classes, only_trained, step_controls, trained_conditions
    from engines.generate.task import Curves, GenerateTask

    grid = grid_from_tempo(120, 4, 4, 4.0)  # 2 bars, 32 steps of 0.125 s
    n = int(4 * FR)
    dynamics = np.full(n, np.nan, dtype=np.float32)
    dynamics[: n // 2] = -20.0
    rhythm = np.full(n, 8.0, dtype=np.float32)
    task = GenerateTask(grid, (), (), 0, grid.n_steps, 14, resolved(Attributes(tempo=120.0, drum_style="bossa")),
                        Curves(dynamics=dynamics, rhythm=rhythm))
    locks = np.full(grid.n_steps, -1, dtype=np.int16)
    locks[:4] = 72
    controls = step_controls(task, locks, ("melody", "dynamics", "rhythm"))
    assert controls.shape == (32, 6)
    np.testing.assert_allclose(controls[:4, :2], [[1.0, 1.0]] * 4)
    assert not controls[4:, 1].any()
    np.testing.assert_allclose(controls[:15, 2:4], [[-1.0, 1.0]] * 15)
    assert not controls[17:, 3].any(), "dynamics unspecified in the second half"
    np.testing.assert_allclose(controls[:, 4], 4.0, atol=1e-6)  # 8 onsets/s at 2 quarters/s
    classes = attribute_classes(task, melody_centre=71.0, onsets_per_bar=12.0)
    assert classes["style"] > 0 and classes["tempo"] > 0 and classes["emotion"] > 0
    trained = only_trained(controls, ("melody", "dynamics", "rhythm"), frozenset({"dynamics", "tempo"}))
    assert not trained[:, [0, 1, 4, 5]].any() and np.array_equal(trained[:, 2:4], controls[:, 2:4])

    class Engine:
        def __init__(self, names: object) -> None:
            self.model = type("Model", (), {"trained_conditions": names})()

    assert trained_conditions(object()) == frozenset(), "a composer that does not say: nothing trained"
    assert trained_conditions(Engine(())) == frozenset()
    assert trained_conditions(Engine(("melody", "style"))) == {"melody", "style"}
    assert trained_conditions(Engine("melody")) == frozenset(), "names come as a tuple"
