"""The instruction planner, table-driven: plain English as a musician would say it -> the
exact plan of operations (the song: tests/instruct_song.py). The table is in three files by
what its instructions are about: tests/instruct_plans_tracks.py, instruct_plans_music.py and
instruct_plans_phrasings.py. Refusals are in tests/test_instruct_refusals.py.
"""
from __future__ import annotations

import pytest

from engines.instruct import OPERATIONS, Plan, SongInfo, Step, TrackInfo
from engines.instruct.operations import EXAMPLES
from tests.instruct_plans_music import MUSIC
from tests.instruct_plans_phrasings import PHRASINGS
from tests.instruct_plans_tracks import TRACKS
from tests.instruct_song import SONG, planner
from tests.test_instruct_refusals import REFUSALS

PLANS = TRACKS + MUSIC + PHRASINGS


@pytest.mark.parametrize("text, expected", PLANS, ids=[t for t, _ in PLANS])
def test_instruction_plans_exactly(text, expected):
    result = planner().plan(text)
    assert isinstance(result, Plan), getattr(result, "message", result)
    assert result.steps == tuple(Step(op, args) for op, args in expected)
    assert all(line.strip() for line in result.lines())


def test_the_table_is_as_big_as_promised():
    assert len(PLANS) >= 80 and len(REFUSALS) >= 20
    assert sum(len(steps) > 1 for _, steps in PLANS) >= 15, "multi-step instructions"


def test_every_example_suggestion_plans_into_its_own_operation():
    song = SongInfo(tracks=SONG.tracks[:3] + (TrackInfo("Drums", "drums", is_drum=True, muted=True),
                                              TrackInfo("Guitar", "harmony", kind="audio")), bars=8, tempo=96.0,
                    key="A:minor")
    for op, text in EXAMPLES.items():
        result = planner(song=song).plan(text)
        assert isinstance(result, Plan), (text, getattr(result, "message", ""))
        assert op in {s.op for s in result.steps}, (text, result.steps)
    assert set(EXAMPLES) == set(OPERATIONS)


def test_the_same_words_give_the_same_plan():
    p = planner()
    text = "remove the drums, add a brushed shuffle in bars 1-4 and make it quieter"
    assert p.plan(text) == p.plan(text) == planner().plan(text)
