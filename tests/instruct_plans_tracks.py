"""Exact plans, part 1 of the planner's table: instructions about tracks and parts — add a part
(and write it), remove, clear, mute, solo, separate into stems, transcribe, regenerate bars.
The song they are planned against is tests/instruct_song.py; tests/test_instruct_plans.py runs them."""
from __future__ import annotations

TRACKS: list[tuple[str, list[tuple[str, dict]]]] = [
    ('add a bass line in bars 1–4', [
        ('add_track', {'name': 'Bass 2', 'role': 'bass', 'program': 33, 'drums': False}),
        ('generate', {'tracks': ('Bass 2',), 'bars': (1, 4), 'prompt': ''}),
    ]),
    ('add a walking bass in bars five to eight', [
        ('add_track', {'name': 'Bass 2', 'role': 'bass', 'program': 33, 'drums': False}),
        ('generate', {'tracks': ('Bass 2',), 'bars': (5, 8), 'prompt': 'walking'}),
    ]),
    ('give me a funky bass line for the last four bars', [
        ('add_track', {'name': 'Bass 2', 'role': 'bass', 'program': 33, 'drums': False}),
        ('generate', {'tracks': ('Bass 2',), 'bars': (5, 8), 'prompt': 'funky'}),
    ]),
    ('add some strings in the second half', [
        ('add_track', {'name': 'Strings', 'role': 'harmony', 'program': 48, 'drums': False}),
        ('generate', {'tracks': ('Strings',), 'bars': (5, 8), 'prompt': ''}),
    ]),
    ('add a flute melody over bars 3-6', [
        ('add_track', {'name': 'Flute', 'role': 'melody', 'program': 73, 'drums': False}),
        ('generate', {'tracks': ('Flute',), 'bars': (3, 6), 'prompt': ''}),
    ]),
    ('add a cello counter melody', [
        ('add_track', {'name': 'Cello', 'role': 'counter', 'program': 42, 'drums': False}),
        ('generate', {'tracks': ('Cello',), 'bars': None, 'prompt': ''}),
    ]),
    ('add bass and drums in bars 1-4', [
        ('add_track', {'name': 'Bass 2', 'role': 'bass', 'program': 33, 'drums': False}),
        ('add_track', {'name': 'Drums 2', 'role': 'drums', 'program': 0, 'drums': True}),
        ('generate', {'tracks': ('Bass 2', 'Drums 2'), 'bars': (1, 4), 'prompt': ''}),
    ]),
    ('add a brushed shuffle', [
        ('add_track', {'name': 'Drums 2', 'role': 'drums', 'program': 0, 'drums': True}),
        ('generate', {'tracks': ('Drums 2',), 'bars': None, 'prompt': 'brushed shuffle'}),
    ]),
    ('put in a piano part for the first 2 bars', [
        ('add_track', {'name': 'Piano', 'role': 'harmony', 'program': 0, 'drums': False}),
        ('generate', {'tracks': ('Piano',), 'bars': (1, 2), 'prompt': ''}),
    ]),
    ('layer an organ under the lead', [
        ('add_track', {'name': 'Organ', 'role': 'harmony', 'program': 16, 'drums': False}),
        ('generate', {'tracks': ('Organ',), 'bars': None, 'prompt': ''}),
    ]),
    ('add a synth pad', [
        ('add_track', {'name': 'Synth Pad', 'role': 'harmony', 'program': 89, 'drums': False}),
        ('generate', {'tracks': ('Synth Pad',), 'bars': None, 'prompt': ''}),
    ]),
    ('add an empty track', [
        ('add_track', {'name': 'MIDI', 'role': 'other', 'program': 0, 'drums': False}),
    ]),
    ('add 4 more bars', [
        ('set_length', {'bars': 12}),
    ]),
    ('add a bass line in bars 9-12', [
        ('set_length', {'bars': 12}),
        ('add_track', {'name': 'Bass 2', 'role': 'bass', 'program': 33, 'drums': False}),
        ('generate', {'tracks': ('Bass 2',), 'bars': (9, 12), 'prompt': ''}),
    ]),
    ('remove the drums', [
        ('remove_track', {'track': 'Drums'}),
    ]),
    ('delete the keys and the bass', [
        ('remove_track', {'track': 'Keys'}),
        ('remove_track', {'track': 'Bass'}),
    ]),
    ('get rid of the guitar', [
        ('remove_track', {'track': 'Guitar (audio)'}),
    ]),
    ('drop the drums in bars 5 to 8', [
        ('clear_notes', {'tracks': ('Drums',), 'bars': (5, 8)}),
    ]),
    ('take the bass out of bars 7-8', [
        ('clear_notes', {'tracks': ('Bass',), 'bars': (7, 8)}),
    ]),
    ('remove everything except the lead', [
        ('remove_track', {'track': 'Keys'}),
        ('remove_track', {'track': 'Bass'}),
        ('remove_track', {'track': 'Drums'}),
        ('remove_track', {'track': 'Guitar (audio)'}),
    ]),
    ('mute the drums', [
        ('mute', {'track': 'Drums', 'muted': True}),
    ]),
    ('mute everything except the bass and drums', [
        ('mute', {'track': 'Lead', 'muted': True}),
        ('mute', {'track': 'Keys', 'muted': True}),
        ('mute', {'track': 'Guitar (audio)', 'muted': True}),
    ]),
    ('mute the percussion', [
        ('mute', {'track': 'Drums', 'muted': True}),
    ]),
    ('solo the leed', [
        ('solo', {'track': 'Lead', 'solo': True}),
    ]),
    ('play only the bass', [
        ('solo', {'track': 'Bass', 'solo': True}),
    ]),
    ('silence the keys', [
        ('mute', {'track': 'Keys', 'muted': True}),
    ]),
    ('turn off the guitar track', [
        ('mute', {'track': 'Guitar (audio)', 'muted': True}),
    ]),
    ('extract the vocals', [
        ('separate', {'track': 'Guitar (audio)', 'stems': ('vocals',), 'names': {'vocals': 'Guitar (audio) vocals'}, 'mute_source': True, 'mute_stems': False}),
    ]),
    ('separate the guitar track into stems', [
        ('separate', {'track': 'Guitar (audio)', 'stems': ('drums', 'bass', 'other', 'vocals'), 'names': {'drums': 'Guitar (audio) drums', 'bass': 'Guitar (audio) bass', 'other': 'Guitar (audio) other', 'vocals': 'Guitar (audio) vocals'}, 'mute_source': True, 'mute_stems': False}),
    ]),
    ('split the audio into drums, bass, other and vocals', [
        ('separate', {'track': 'Guitar (audio)', 'stems': ('drums', 'bass', 'other', 'vocals'), 'names': {'drums': 'Guitar (audio) drums', 'bass': 'Guitar (audio) bass', 'other': 'Guitar (audio) other', 'vocals': 'Guitar (audio) vocals'}, 'mute_source': True, 'mute_stems': False}),
    ]),
    ('remove the vocals', [
        ('separate', {'track': 'Guitar (audio)', 'stems': ('drums', 'bass', 'other'), 'names': {'drums': 'Guitar (audio) drums', 'bass': 'Guitar (audio) bass', 'other': 'Guitar (audio) other'}, 'mute_source': True, 'mute_stems': False}),
    ]),
    ('make an instrumental version', [
        ('separate', {'track': 'Guitar (audio)', 'stems': ('drums', 'bass', 'other'), 'names': {'drums': 'Guitar (audio) drums', 'bass': 'Guitar (audio) bass', 'other': 'Guitar (audio) other'}, 'mute_source': True, 'mute_stems': False}),
    ]),
    ('extract the vocals and transcribe them', [
        ('separate', {'track': 'Guitar (audio)', 'stems': ('vocals',), 'names': {'vocals': 'Guitar (audio) vocals'}, 'mute_source': True, 'mute_stems': False}),
        ('transcribe', {'track': 'Guitar (audio) vocals', 'kind': 'melody', 'name': 'Guitar (audio) vocals MIDI', 'role': 'melody'}),
    ]),
    ('transcribe the guitar to midi', [
        ('transcribe', {'track': 'Guitar (audio)', 'kind': 'poly', 'name': 'Guitar (audio) MIDI', 'role': 'harmony'}),
    ]),
    ('turn the guitar into notes', [
        ('transcribe', {'track': 'Guitar (audio)', 'kind': 'poly', 'name': 'Guitar (audio) MIDI', 'role': 'harmony'}),
    ]),
    ('transcribe the bass from the guitar track', [
        ('separate', {'track': 'Guitar (audio)', 'stems': ('bass',), 'names': {'bass': 'Guitar (audio) bass'}, 'mute_source': False, 'mute_stems': True}),
        ('transcribe', {'track': 'Guitar (audio) bass', 'kind': 'bass', 'name': 'Guitar (audio) bass MIDI', 'role': 'bass'}),
    ]),
    ('regenerate the bass in bars 5-8', [
        ('infill', {'tracks': ('Bass',), 'bars': (5, 8)}),
    ]),
    ('rewrite the melody in the last four bars', [
        ('infill', {'tracks': ('Lead',), 'bars': (5, 8)}),
    ]),
    ('try a different bass line for bars 3-4', [
        ('infill', {'tracks': ('Bass',), 'bars': (3, 4)}),
    ]),
    ('regenerate bars 5-8', [
        ('infill', {'tracks': ('Lead', 'Keys', 'Bass', 'Drums'), 'bars': (5, 8)}),
    ]),
    ('redo the drums in the second half', [
        ('infill', {'tracks': ('Drums',), 'bars': (5, 8)}),
    ]),
    ('give me a new keys part for bar 7', [
        ('infill', {'tracks': ('Keys',), 'bars': (7, 7)}),
    ]),
    ('infill the lead and the bass over bars 2 to 3', [
        ('infill', {'tracks': ('Lead', 'Bass'), 'bars': (2, 3)}),
    ]),
]
