"""Liveliness figures, synthetic accompaniment, and the shipped composer over a song texture."""
from __future__ import annotations

import numpy as np
import pytest

from engines.compose import liveliness as lv
from engines.compose.accompany import accompanied, accompany, draw_rhythm
from engines.compose.data import Piece, split_of
from engines.compose.grid import REST, GridNote, GridTrack, bar_positions, decode_lane, encode_lane


def test_part_counts_of_a_tiny_part():
    pos = bar_positions(32, 16)
    notes = [GridNote(60, 0, 4), GridNote(60, 4, 4), GridNote(64, 8, 8),  # bar 1: C C E
             GridNote(67, 16, 2), GridNote(55, 16, 2), GridNote(65, 20, 12)]  # bar 2: G/G chord, F
    c = lv.part_counts(notes, 0, 32, pos)
    assert (c.bars, c.onsets, c.repeated, c.attacks_after_first) == (2, 5, 1, 4)
    assert c.distinct == 2 + 3  # {60, 64}, {67, 55, 65}
    assert c.interval_sum == 0 + 4 + 3 + 2  # top line 60 60 64 67 65
    assert c.onset_hist[[0, 4, 8]].tolist() == [2, 2, 1] and c.onset_hist.sum() == 5
    f = lv.figures(c)
    assert f["onsets_per_bar"] == 2.5 and f["repeated"] == 0.25 and f["mean_interval"] == 9 / 4
    same = lv.compare(c, c)["written"]
    assert same["onset_ratio"] == 1.0 and same["onset_hist_distance"] == 0.0


def tune(n_bars: int = 8) -> Piece:
    """An eighth-note tune in C major, 4/4."""
    line = [72, 74, 76, 72, 67, 69, 71, 67] * n_bars
    notes = [GridNote(p, 2 * i, 2) for i, p in enumerate(line)]
    pitch, onset, _ = encode_lane(notes, 16 * n_bars)
    return Piece("essen:test/tune", pitch[None], onset[None], np.array([0], np.int8),
                 bar_positions(16 * n_bars, 16), np.full(16 * n_bars, 16, np.uint8), key=0)


def test_accompaniment_adds_chords_and_a_repeated_bass_rhythm_under_the_tune():
    piece = accompany(tune(), np.random.default_rng(3))
    assert piece is not None and split_of(piece.name) == split_of("essen:test/tune")
    assert piece.roles.tolist() == [0, 1, 1, 1, 2]
    assert np.array_equal(piece.pitch[0], tune().pitch[0])
    chords = piece.pitch[1:4]
    assert (chords != REST).all(axis=0).mean() > 0.5
    assert set(np.unique(chords[chords != REST] % 12)) <= {0, 2, 4, 5, 7, 9, 11}
    bass = decode_lane(piece.pitch[4], piece.onset[4])
    per_bar = [tuple(n.start % 16 for n in bass if n.start // 16 == b) for b in range(8)]
    assert len(set(per_bar)) == 1, "the bass rhythm repeats every bar"


def test_copies_of_an_accompanied_tune_have_their_own_names_and_the_tune_s_split():
    copies = accompanied([tune()], seed=1, copies=3)
    assert [p.name for p in copies] == ["accomp:essen:test/tune", "accomp:essen:test/tune@1",
                                        "accomp:essen:test/tune@2"]
    assert {split_of(p.name) for p in copies} == {split_of("essen:test/tune")}
    assert {p.source for p in copies} == {"accomp"}


def test_drawn_rhythms_fit_the_bar():
    rng = np.random.default_rng(0)
    for bar_len in (6, 8, 12, 16):
        for bass in (False, True):
            rhythm = draw_rhythm(bar_len, rng, bass=bass)
            assert rhythm[0][0] == 0 and all(0 <= o < bar_len and o + d <= bar_len for o, d in rhythm)


def song() -> tuple[GridTrack, ...]:
    """Eight bars of G major: an eighth-note lead with leaps, half-note chords, an eighth bass riff."""
    chords = [(55, 59, 62), (50, 54, 57), (52, 55, 59), (48, 52, 55)] * 2  # G D Em C
    roots = [43, 38, 40, 36] * 2
    phrase = [[67, 71, 74, 71, 72, 71, 69, 67], [66, 69, 74, 72, 71, 69, 66, 62],
              [64, 67, 71, 74, 72, 71, 67, 64], [64, 67, 72, 71, 69, 67, 64, 60]] * 2
    lead = tuple(GridNote(p, 16 * b + 2 * i, 2) for b, bar in enumerate(phrase) for i, p in enumerate(bar))
    keys = tuple(GridNote(p, 16 * b + h, 8) for b, c in enumerate(chords) for h in (0, 8) for p in c)
    bass = tuple(GridNote(r + d, 16 * b + s, 2) for b, r in enumerate(roots)
                 for s, d in ((0, 0), (4, 0), (6, 7), (10, 0), (12, 12)))
    return (GridTrack("Lead", "melody", 73, notes=lead), GridTrack("Keys", "harmony", 4, notes=keys),
            GridTrack("Bass", "bass", 33, notes=bass))


@pytest.fixture(scope="module")
def engine():
    from app.infill import load_composer
    from engines.compose.api import ComposeEngine

    return ComposeEngine(load_composer())


def infill_counts(engine, write: int, seeds: range) -> tuple[lv.Counts, lv.Counts]:
    from engines.compose.api import InfillTask
    from engines.compose.keys import key_index

    tracks = song()
    task = InfillTask(tracks, write=(write,), start=32, stop=96, n_steps=128, key=key_index(7, "major"))
    pos = bar_positions(128, 16)
    real, written = lv.Counts(), lv.Counts()
    for seed in seeds:
        [result] = engine.infill(task, seed=seed)
        real += lv.part_counts(tracks[write].notes, 32, 96, pos)
        written += lv.part_counts(result.notes[0], 32, 96, pos)
    return real, written


def test_a_lead_infilled_over_block_chords_keeps_moving(engine):
    """The shipped composer once wrote held half notes and repeated pitches here."""
    figures = lv.compare(*infill_counts(engine, 0, range(3)))["written"]
    assert figures["onset_ratio"] > 0.75, figures
    assert figures["repeated"] < 0.3, figures
    assert figures["distinct_per_bar"] >= 3.0, figures


@pytest.mark.parametrize("track", [1, 2], ids=["keys", "bass"])
def test_an_accompaniment_keeps_its_own_rhythm_in_the_infilled_bars(engine, track):
    """The part's rhythm outside the span sets it inside (the bass riff was once slowed to
    half notes, the half-note chords broken into busy eighths)."""
    figures = lv.compare(*infill_counts(engine, track, range(2)))["written"]
    assert 0.75 < figures["onset_ratio"] < 1.3, figures
    assert figures["onset_hist_distance"] < 0.25, figures
