"""The composer's grid: lanes round-trip notes exactly; metre positions; packing pieces."""
from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from engines.compose.data import Piece, pack, split_of, unpack
from engines.compose.grid import REST, GridNote, GridTrack, assign_lanes, bar_positions, decode_lane, encode_lane
from engines.compose.tracks import decode_track, encode_tracks

notes_st = st.lists(st.builds(GridNote, pitch=st.integers(0, 127), start=st.integers(0, 60),
                              duration=st.integers(1, 12), velocity=st.integers(1, 127)), max_size=25)


def key(n: GridNote) -> tuple[int, int, int, int]:
    return (n.start, n.pitch, n.duration, n.velocity)


@settings(max_examples=150, deadline=None)
@given(notes_st)
def test_any_grid_aligned_notes_round_trip_through_lanes(notes):
    lanes = encode_tracks([GridTrack("t", notes=tuple(notes))], 80)
    assert sorted(map(key, decode_track(lanes, 0))) == sorted(map(key, notes))


def test_a_piano_chord_track_splits_into_lanes_highest_first():
    chord = [GridNote(60, 0, 8), GridNote(64, 0, 8), GridNote(67, 0, 8), GridNote(72, 8, 4)]
    lanes = assign_lanes(chord)
    assert [[n.pitch for n in lane] for lane in lanes] == [[67, 72], [64], [60]]


def test_repeated_notes_stay_separate_and_rests_are_kept():
    notes = [GridNote(62, 0, 2, 80), GridNote(62, 2, 2, 81), GridNote(65, 6, 3, 82)]
    pitch, onset, vel = encode_lane(notes, 10)
    assert pitch.tolist() == [62, 62, 62, 62, REST, REST, 65, 65, 65, REST]
    assert onset.tolist() == [1, 0, 1, 0, 0, 0, 1, 0, 0, 0]
    assert decode_lane(pitch, onset, vel) == notes


def test_a_pitch_change_without_onset_starts_a_new_note():
    pitch = np.array([60, 60, 62, 62], dtype=np.uint8)
    onset = np.array([True, False, False, False])
    assert decode_lane(pitch, onset) == [GridNote(60, 0, 2, 96), GridNote(62, 2, 2, 96)]


def test_bar_positions_honour_a_pickup():
    assert bar_positions(8, 4, pickup=1).tolist() == [3, 0, 1, 2, 3, 0, 1, 2]
    assert bar_positions(5, 12).tolist() == [0, 1, 2, 3, 4]


def test_pieces_pack_and_unpack_exactly():
    rng = np.random.default_rng(0)
    pieces = [Piece(f"x:{i}", rng.integers(40, 129, (l, t)).astype(np.uint8), rng.random((l, t)) < 0.3,
                    np.arange(l, dtype=np.int8), (np.arange(t) % 16).astype(np.uint8),
                    np.full(t, 16, np.uint8), key=i) for i, (l, t) in enumerate([(4, 30), (1, 7), (5, 12)])]
    back = unpack(pack(pieces))
    for a, b in zip(pieces, back):
        assert a.name == b.name and a.key == b.key
        for field in ("pitch", "onset", "roles", "pos", "bar_len"):
            assert np.array_equal(getattr(a, field), getattr(b, field))


def test_split_is_stable_and_roughly_eighty_ten_ten():
    names = [f"bach:{i}" for i in range(2000)]
    splits = [split_of(n) for n in names]
    assert splits == [split_of(n) for n in names]
    assert 0.07 < splits.count("test") / 2000 < 0.13 and 0.07 < splits.count("valid") / 2000 < 0.13


def test_chord_tones_follow_the_other_voices_harmony():
    from engines.compose.metrics import is_chord_tone

    c_major = {0, 4, 7}
    assert is_chord_tone(4, c_major) and is_chord_tone(10, c_major)  # E, and B flat makes C7
    assert not is_chord_tone(2, c_major) and not is_chord_tone(1, {0, 4})
    assert is_chord_tone(9, {0, 4, 2})  # A with C, E over a passing D: A minor
