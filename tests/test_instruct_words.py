"""The planner's small parts on exact inputs: numbers in words, bar ranges, typos, track references."""
from __future__ import annotations

import pytest

from engines.instruct.bars import BarSpec, take_bars
from engines.instruct.clause import Clause
from engines.instruct.fuzzy import closest, osa_distance
from engines.instruct.plan import Refuse
from engines.instruct.tracks import take_tracks
from engines.instruct.vocabulary import SongInfo, TrackInfo
from engines.instruct.words import normalise


@pytest.mark.parametrize("text, expected", [
    ("Make bars three to six louder", "make bars 3 to 6 louder"),
    ("the fifth bar", "the 5th bar"),
    ("bars 5–8", "bars 5-8"),
    ("bars 1 - 4", "bars 1-4"),
    ("a hundred and twenty BPM", "120 bpm"),
    ("twenty-one bars", "21 bars"),
    ("the twenty first bar", "the 21st bar"),
    ("a couple of bars", "2 bars"),
    ("up a fifth", "up a 5th"),
    ("F♯ minor", "f# minor"),
    ("remove the drums, then mute the keys.", "remove the drums , then mute the keys ,"),
])
def test_normalise(text, expected):
    assert normalise(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("bars 5-8", (5, 8)), ("bars three to six", (3, 6)), ("measures 2 through 4", (2, 4)),
    ("between bars 5 and 8", (5, 8)), ("bars 2 and 3", (2, 3)), ("bar 7", (7, 7)), ("the 3rd bar", (3, 3)),
    ("the last four bars", (13, 16)), ("the first 2 bars", (1, 2)), ("the last bar", (16, 16)),
    ("the second to last bar", (15, 15)), ("the first half", (1, 8)), ("the second half", (9, 16)),
    ("from bar 9", (9, 16)), ("after bar 12", (13, 16)), ("until bar 4", (1, 4)), ("before bar 3", (1, 2)),
    ("from bar 5 to the end", (5, 16)), ("bars 9 to 20", (9, 20)),
])
def test_bar_ranges_in_words_and_digits(text, expected):
    clause = Clause(normalise(text))
    found, spec = take_bars(clause, 16)
    assert found and spec is not None and spec.range == expected
    assert clause.unknown() == []


def test_the_whole_song_is_no_range_and_no_words_left():
    clause = Clause(normalise("across the whole song"))
    assert take_bars(clause, 16) == (True, None) and clause.unknown() == []
    assert take_bars(Clause("remove the drums"), 16) == (False, None)
    assert take_bars(Clause("from bar 9"), 8)[1] == BarSpec(9, 8, closed=False)


@pytest.mark.parametrize("text, says", [
    ("in the chorus", "chorus"), ("at the end", "the end"), ("bars 1 and 5", "two separate places"),
    ("bars 1-2 and bars 5-6", "one range"),
])
def test_bar_phrases_that_name_no_bars_are_refused(text, says):
    with pytest.raises(Refuse, match=says):
        take_bars(Clause(normalise(text)), 8)


def test_typos_within_reach_and_no_further():
    assert osa_distance("bsas", "bass") == 1 and osa_distance("drms", "drums") == 1
    words = ["drums", "bass", "lead", "keys", "guitar", "percussion"]
    assert [closest(w, words) for w in ("drms", "bsas", "leed", "kyes", "gutiar", "percusion")] == [
        "drums", "bass", "lead", "keys", "guitar", "percussion"]
    assert closest("bas", words) is None, "three letters are too few to guess from"
    assert closest("mask", ["mast", "task"]) is None, "a tie is no guess"


SONG = SongInfo(tracks=(TrackInfo("Lead", "melody", program=73), TrackInfo("Keys", "harmony", program=4),
                        TrackInfo("Bass", "bass", program=33), TrackInfo("Drums", "drums", is_drum=True),
                        TrackInfo("Guitar (audio)", "harmony", kind="audio"),
                        TrackInfo("Guitar (audio) vocals", "melody", kind="audio")))


@pytest.mark.parametrize("text, names", [
    ("the lead", ["Lead"]), ("the melody", ["Lead", "Guitar (audio) vocals"]), ("the flute", ["Lead"]), ("the piano", ["Keys"]),
    ("the percussion", ["Drums"]), ("the bsas", ["Bass"]), ("the guitar", ["Guitar (audio)"]),
    ("the vocals", ["Guitar (audio) vocals"]), ("everything except the drums and the lead",
                                                ["Keys", "Bass", "Guitar (audio)", "Guitar (audio) vocals"]),
    ("the audio", ["Guitar (audio)", "Guitar (audio) vocals"]), ("them", ["Bass"]),
])
def test_track_references(text, names):
    sel = take_tracks(Clause(normalise(text)), SONG, context=("Bass",))
    assert sel.names == names


def test_a_role_no_track_plays_is_reported_missing():
    sel = take_tracks(Clause("the strings"), SONG)
    assert sel.names == [] and sel.missing == ["strings"]
