"""Instructions the planner must refuse, each with a helpful one-line answer that says what
was wrong and what it can do instead; and plans that need an engine this Partita lacks
(the song: tests/instruct_song.py)."""
from __future__ import annotations

import pytest

from engines.instruct import OperationSpec, Plan, Planner, Refusal, Vocabulary, every_operation
from tests.instruct_song import SONG, planner

REFUSALS: list[tuple[str, str]] = [
    # (instruction, words the answer must contain)
    ("add reverb to the lead", "no audio effects"),
    ("export it as an mp3", "file operation"),
    ("what key is it in?", "don't answer questions"),
    ("make it better", "doesn't say what to change"),
    ("remove the drums in the chorus", "does not know where the chorus is"),
    ("add a shuffle at the end", "does not say which bars"),
    ("make it sound like the beatles", "can't imitate"),
    ("sing something", "cannot sing"),
    ("undo that", "Ctrl+Z"),
    ("add a banana", "what should I add"),
    ("transpose the lead up a third", "minor 3rd (3 semitones) or a major 3rd (4)"),
    ("transpose the bass an octave", "up or down"),
    ("transpose the drums up 2", "drum sounds, not pitches"),
    ("transpose the guitar up 2", "audio track"),
    ("mute the tuba", "no tuba track"),
    ("solo the trumpet", "no trumpet track"),
    ("make bars 10-12 louder", "the song has 8 bars"),
    ("add a shuffle from bar 9", "bar 9 is past its end"),
    ("regenerate bars 1 and 5", "two separate places"),
    ("make it minor", "already in A minor"),
    ("mute the drums in bars 2-3", "whole tracks"),
    ("transcribe the bass", "Bass is already MIDI"),
    ("change the tempo in bars 5-8", "the tempo is the whole song's"),
    ("remove the drums and add a harmonica solo in the bridge", "where the bridge is"),
    ("copy the dynamics of the lead and the bass", "one track at a time"),
    ("change the key to H major", '"h"'),
    ("set the tempo to 5000 bpm", "out of range"),
    ("make bars 3-5 louder and bars 1-2 of the bass", "one range of bars"),
    ("unmute the drums", "already playing"),
    ("unsolo the lead", "already not soloed"),
    ("extract the vocals, then mute the guitar", "already muted"),
    ("", "say what to change"),
    ("purple monkey dishwasher", "I don't know how to do"),
    ("make the intro quieter", "where the intro is"),
    ("make the drums swing", "I don't know how to do"),
    ("mute the tuba and the drums", "there is no tuba track"),
    ("transpose the lead and the trumpet up 2", "there is no trumpet track"),
    ("remove the vocals in bars 1-2", "whole track, not on bars"),
    ("make bars 3-5 louder and the rest softer", "two separate places"),
    ("turn the keys back on", "already playing"),
]


@pytest.mark.parametrize("text, words", REFUSALS, ids=[t or "(empty)" for t, _ in REFUSALS])
def test_refusals_say_what_was_wrong_and_what_to_do_instead(text, words):
    result = planner().plan(text)
    assert isinstance(result, Refusal), result
    assert words in result.message
    assert result.suggestions, "a refusal offers the closest things it can do"
    assert result.message.count("\n") == 0


def test_a_refusal_names_what_was_understood_before_it():
    result = planner().plan("remove the drums and add a harmonica solo in the bridge")
    assert isinstance(result, Refusal)
    assert result.understood == "Remove track Drums"
    assert "I understood: Remove track Drums." in result.message


def test_a_plan_that_needs_a_missing_engine_is_refused_not_faked():
    p = planner({"separate": "stem separation is not installed in this Partita yet",
                 "generate": "the generate engine is not installed yet"})
    refused = p.plan("extract the vocals")
    assert isinstance(refused, Refusal) and "stem separation is not installed" in refused.message
    plan = p.plan("add a walking bass in bars 1-4")
    assert isinstance(plan, Plan)
    assert [s.op for s in plan.steps] == ["add_track", "infill"]
    assert any("walking" in note for note in plan.notes), "style words it cannot use are shown, not dropped"


def test_drums_need_an_engine_that_writes_drums():
    ops = tuple(OperationSpec(o.name, o.title, limits=frozenset({"no_drums"}) if o.name == "infill" else frozenset(),
                              available=o.name != "generate") for o in every_operation())
    refused = Planner(Vocabulary(ops, SONG)).plan("add a brushed shuffle in bars 1-4")
    assert isinstance(refused, Refusal) and "drum part" in refused.message
    plan = Planner(Vocabulary(ops, SONG)).plan("regenerate bars 5-8")
    assert isinstance(plan, Plan) and plan.steps[0].args["tracks"] == ("Lead", "Keys", "Bass")
    assert any("drum" in note for note in plan.notes)
