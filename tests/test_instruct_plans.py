"""The instruction planner, table-driven: plain English as a musician would say it -> the
exact plan of operations (the song: tests/instruct_song.py). Refusals are in
tests/test_instruct_refusals.py.
"""
from __future__ import annotations

import pytest

from engines.instruct import OPERATIONS, Plan, SongInfo, Step, TrackInfo
from engines.instruct.operations import EXAMPLES
from tests.instruct_song import SONG, planner
from tests.test_instruct_refusals import REFUSALS

PLANS: list[tuple[str, list[tuple[str, dict]]]] = [
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
    ('make bars 2–3 louder', [
        ('dynamics', {'bars': (2, 3), 'change_db': 6.0, 'shape': 'level'}),
    ]),
    ('make bars three to six softer', [
        ('dynamics', {'bars': (3, 6), 'change_db': -6.0, 'shape': 'level'}),
    ]),
    ('make the second half louder by 3 dB', [
        ('dynamics', {'bars': (5, 8), 'change_db': 3.0, 'shape': 'level'}),
    ]),
    ('crescendo over the last four bars', [
        ('dynamics', {'bars': (5, 8), 'change_db': 12.0, 'shape': 'crescendo'}),
    ]),
    ('diminuendo in bars 5-8', [
        ('dynamics', {'bars': (5, 8), 'change_db': 12.0, 'shape': 'diminuendo'}),
    ]),
    ('fade out the last 2 bars', [
        ('dynamics', {'bars': (7, 8), 'change_db': 36.0, 'shape': 'diminuendo'}),
    ]),
    ('fade in the first bar', [
        ('dynamics', {'bars': (1, 1), 'change_db': 36.0, 'shape': 'crescendo'}),
    ]),
    ('make the bass a bit louder', [
        ('change_gain', {'track': 'Bass', 'change_db': 3.0}),
    ]),
    ('turn the drums down', [
        ('change_gain', {'track': 'Drums', 'change_db': -6.0}),
    ]),
    ('turn up the keys by 4 db', [
        ('change_gain', {'track': 'Keys', 'change_db': 4.0}),
    ]),
    ('make the drums softer in bars 1-2', [
        ('velocity', {'tracks': ('Drums',), 'bars': (1, 2), 'change_db': -6.0, 'shape': 'level'}),
    ]),
    ('make it louder', [
        ('change_gain', {'track': 'Lead', 'change_db': 6.0}),
        ('change_gain', {'track': 'Keys', 'change_db': 6.0}),
        ('change_gain', {'track': 'Bass', 'change_db': 6.0}),
        ('change_gain', {'track': 'Drums', 'change_db': 6.0}),
        ('change_gain', {'track': 'Guitar (audio)', 'change_db': 6.0}),
    ]),
    ('make the lead much quieter', [
        ('change_gain', {'track': 'Lead', 'change_db': -10.0}),
    ]),
    ('transpose the lead up an octave', [
        ('transpose', {'tracks': ('Lead',), 'semitones': 12, 'bars': None}),
    ]),
    ('transpose everything down 2 semitones', [
        ('transpose', {'tracks': ('Lead', 'Keys', 'Bass'), 'semitones': -2, 'bars': None}),
    ]),
    ('drop the bass an octave', [
        ('transpose', {'tracks': ('Bass',), 'semitones': -12, 'bars': None}),
    ]),
    ('raise the keys a perfect fifth', [
        ('transpose', {'tracks': ('Keys',), 'semitones': 7, 'bars': None}),
    ]),
    ('move the lead up a whole step in bars 5-8', [
        ('transpose', {'tracks': ('Lead',), 'semitones': 2, 'bars': (5, 8)}),
    ]),
    ('transpose the bsas down a half step', [
        ('transpose', {'tracks': ('Bass',), 'semitones': -1, 'bars': None}),
    ]),
    ('take the melody down a minor third', [
        ('transpose', {'tracks': ('Lead',), 'semitones': -3, 'bars': None}),
    ]),
    ('pitch the keys up 3 semitones', [
        ('transpose', {'tracks': ('Keys',), 'semitones': 3, 'bars': None}),
    ]),
    ('transpose the lead and the bass up an octave', [
        ('transpose', {'tracks': ('Lead', 'Bass'), 'semitones': 12, 'bars': None}),
    ]),
    ('set the tempo to 120', [
        ('change_tempo', {'bpm': 120.0}),
    ]),
    ('make it 10% faster', [
        ('change_tempo', {'bpm': 105.6}),
    ]),
    ('slow it down a bit', [
        ('change_tempo', {'bpm': 91.2}),
    ]),
    ('speed up to 110 bpm', [
        ('change_tempo', {'bpm': 110.0}),
    ]),
    ('double the tempo', [
        ('change_tempo', {'bpm': 192.0}),
    ]),
    ('slow down by 6 bpm', [
        ('change_tempo', {'bpm': 90.0}),
    ]),
    ('change the key to D minor', [
        ('change_key', {'key': 'D:minor', 'transpose_notes': True}),
    ]),
    ('put it in F sharp major', [
        ('set_mode', {'mode': 'major', 'tracks': ('Lead', 'Keys', 'Bass'), 'bars': None}),
        ('change_key', {'key': 'F#:major', 'transpose_notes': True}),
    ]),
    ('transpose to G', [
        ('change_key', {'key': 'G:minor', 'transpose_notes': True}),
    ]),
    ('make it major', [
        ('set_mode', {'mode': 'major', 'tracks': ('Lead', 'Keys', 'Bass'), 'bars': None}),
    ]),
    ('switch to the key of E minor', [
        ('change_key', {'key': 'E:minor', 'transpose_notes': True}),
    ]),
    ('change the time signature to 3/4', [
        ('change_meter', {'time_signature': '3/4'}),
    ]),
    ('make it 6/8', [
        ('change_meter', {'time_signature': '6/8'}),
    ]),
    ('switch to waltz time', [
        ('change_meter', {'time_signature': '3/4'}),
    ]),
    ('make the song 16 bars long', [
        ('set_length', {'bars': 16}),
    ]),
    ('make it 2 bars shorter', [
        ('set_length', {'bars': 6}),
    ]),
    ('make it happier', [
        ('set_mode', {'mode': 'major', 'tracks': ('Lead', 'Keys', 'Bass'), 'bars': None}),
        ('change_tempo', {'bpm': 103.68}),
        ('velocity', {'tracks': ('Lead', 'Keys', 'Bass', 'Drums'), 'bars': None, 'change_db': 3.0, 'shape': 'level'}),
    ]),
    ('make the last 4 bars sadder', [
        ('set_mode', {'mode': 'minor', 'tracks': ('Lead', 'Keys', 'Bass'), 'bars': (5, 8)}),
        ('velocity', {'tracks': ('Lead', 'Keys', 'Bass', 'Drums'), 'bars': (5, 8), 'change_db': -3.0, 'shape': 'level'}),
    ]),
    ('calmer please', [
        ('change_tempo', {'bpm': 88.32}),
        ('velocity', {'tracks': ('Lead', 'Keys', 'Bass', 'Drums'), 'bars': None, 'change_db': -3.0, 'shape': 'level'}),
    ]),
    ('make it more energetic', [
        ('change_tempo', {'bpm': 103.68}),
        ('velocity', {'tracks': ('Lead', 'Keys', 'Bass', 'Drums'), 'bars': None, 'change_db': 3.0, 'shape': 'level'}),
    ]),
    ('make the lead sadder', [
        ('set_mode', {'mode': 'minor', 'tracks': ('Lead',), 'bars': None}),
        ('velocity', {'tracks': ('Lead',), 'bars': None, 'change_db': -3.0, 'shape': 'level'}),
    ]),
    ('give the drums a half-time feel', [
        ('feel', {'feel': 'half', 'tracks': ('Drums',), 'bars': None}),
    ]),
    ('double-time feel in bars 5-8', [
        ('feel', {'feel': 'double', 'tracks': ('Drums',), 'bars': (5, 8)}),
    ]),
    ('play the bass half time', [
        ('feel', {'feel': 'half', 'tracks': ('Bass',), 'bars': None}),
    ]),
    ('humanise the drums', [
        ('humanise', {'tracks': ('Drums',), 'bars': None, 'timing_ms': 10.0, 'velocity': 8}),
    ]),
    ('loosen up the keys a little', [
        ('humanise', {'tracks': ('Keys',), 'bars': None, 'timing_ms': 5.0, 'velocity': 4}),
    ]),
    ('make the drums less robotic', [
        ('humanise', {'tracks': ('Drums',), 'bars': None, 'timing_ms': 10.0, 'velocity': 8}),
    ]),
    ('quantise the bass to 16ths', [
        ('quantise', {'tracks': ('Bass',), 'bars': None, 'grid': '1/16', 'strength': 1.0}),
    ]),
    ('tighten up the keys a bit', [
        ('quantise', {'tracks': ('Keys',), 'bars': None, 'grid': '1/16', 'strength': 0.5}),
    ]),
    ('snap the lead to the grid', [
        ('quantise', {'tracks': ('Lead',), 'bars': None, 'grid': '1/16', 'strength': 1.0}),
    ]),
    ('quantize everything to eighth notes', [
        ('quantise', {'tracks': ('Lead', 'Keys', 'Bass', 'Drums'), 'bars': None, 'grid': '1/8', 'strength': 1.0}),
    ]),
    ('copy the dynamics of the guitar', [
        ('copy_controls', {'track': 'Guitar (audio)', 'curves': ('dynamics',)}),
    ]),
    ('copy the rhythm of the drums onto the bass', [
        ('copy_controls', {'track': 'Drums', 'curves': ('rhythm',)}),
        ('generate', {'tracks': ('Bass',), 'bars': None, 'prompt': ''}),
    ]),
    ('use the melody from reference.wav', [
        ('copy_controls', {'file': 'reference.wav', 'curves': ('melody',)}),
    ]),
    ('borrow the groove of the drums', [
        ('copy_controls', {'track': 'Drums', 'curves': ('rhythm',)}),
    ]),
    ('play the lead on a violin', [
        ('set_instrument', {'track': 'Lead', 'program': 40}),
    ]),
    ('change the keys to an organ', [
        ('set_instrument', {'track': 'Keys', 'program': 16}),
    ]),
    ('switch the bass to a fretless bass', [
        ('set_instrument', {'track': 'Bass', 'program': 35}),
    ]),
    ('pan the keys left', [
        ('set_pan', {'track': 'Keys', 'pan': -0.5}),
    ]),
    ('pan the guitar hard right', [
        ('set_pan', {'track': 'Guitar (audio)', 'pan': 1.0}),
    ]),
    ('remove the drums and add a funky bass line in bars 5-8', [
        ('remove_track', {'track': 'Drums'}),
        ('add_track', {'name': 'Bass 2', 'role': 'bass', 'program': 33, 'drums': False}),
        ('generate', {'tracks': ('Bass 2',), 'bars': (5, 8), 'prompt': 'funky'}),
    ]),
    ('mute the drums and solo the bass', [
        ('mute', {'track': 'Drums', 'muted': True}),
        ('solo', {'track': 'Bass', 'solo': True}),
    ]),
    ('transpose the lead up 3 and make it louder', [
        ('transpose', {'tracks': ('Lead',), 'semitones': 3, 'bars': None}),
        ('change_gain', {'track': 'Lead', 'change_db': 6.0}),
    ]),
    ('make bars 2-3 louder and bars 6-7 softer', [
        ('dynamics', {'bars': (2, 3), 'change_db': 6.0, 'shape': 'level'}),
        ('dynamics', {'bars': (6, 7), 'change_db': -6.0, 'shape': 'level'}),
    ]),
    ('remove the drums, add a brushed shuffle in bars 1-4 and make it quieter', [
        ('remove_track', {'track': 'Drums'}),
        ('add_track', {'name': 'Drums', 'role': 'drums', 'program': 0, 'drums': True}),
        ('generate', {'tracks': ('Drums',), 'bars': (1, 4), 'prompt': 'brushed shuffle'}),
        ('change_gain', {'track': 'Drums', 'change_db': -6.0}),
    ]),
    ('make it 6/8 and slow it down to 80 bpm', [
        ('change_meter', {'time_signature': '6/8'}),
        ('change_tempo', {'bpm': 80.0}),
    ]),
    ('remove the vocals from the song', [
        ('separate', {'track': 'Guitar (audio)', 'stems': ('drums', 'bass', 'other'), 'names': {'drums': 'Guitar (audio) drums', 'bass': 'Guitar (audio) bass', 'other': 'Guitar (audio) other'}, 'mute_source': True, 'mute_stems': False}),
    ]),
    ('separate the drums', [
        ('separate', {'track': 'Guitar (audio)', 'stems': ('drums',), 'names': {'drums': 'Guitar (audio) drums'}, 'mute_source': True, 'mute_stems': False}),
    ]),
    ('extract the vocals and then solo them', [
        ('separate', {'track': 'Guitar (audio)', 'stems': ('vocals',), 'names': {'vocals': 'Guitar (audio) vocals'}, 'mute_source': True, 'mute_stems': False}),
        ('solo', {'track': 'Guitar (audio) vocals', 'solo': True}),
    ]),
    ('mute the piano', [
        ('mute', {'track': 'Keys', 'muted': True}),
    ]),
    ('transpose the flute down an octave', [
        ('transpose', {'tracks': ('Lead',), 'semitones': -12, 'bars': None}),
    ]),
    ('make the kees softer', [
        ('change_gain', {'track': 'Keys', 'change_db': -6.0}),
    ]),
    ('crescendo from bar 5 to the end', [
        ('dynamics', {'bars': (5, 8), 'change_db': 12.0, 'shape': 'crescendo'}),
    ]),
    ('regenerate the drums until bar 4', [
        ('infill', {'tracks': ('Drums',), 'bars': (1, 4)}),
    ]),
    ('add a drum beat in the first half', [
        ('add_track', {'name': 'Drums 2', 'role': 'drums', 'program': 0, 'drums': True}),
        ('generate', {'tracks': ('Drums 2',), 'bars': (1, 4), 'prompt': ''}),
    ]),
    ('humanise everything a lot', [
        ('humanise', {'tracks': ('Lead', 'Keys', 'Bass', 'Drums'), 'bars': None, 'timing_ms': 20.0, 'velocity': 16}),
    ]),
    ('solo the guitar and the bass', [
        ('solo', {'track': 'Bass', 'solo': True}),
        ('solo', {'track': 'Guitar (audio)', 'solo': True}),
    ]),
    ('make the song 12 bars long and add a bass line in bars nine to twelve', [
        ('set_length', {'bars': 12}),
        ('add_track', {'name': 'Bass 2', 'role': 'bass', 'program': 33, 'drums': False}),
        ('generate', {'tracks': ('Bass 2',), 'bars': (9, 12), 'prompt': ''}),
    ]),
    ('please add a trumpet melody in bar 3', [
        ('add_track', {'name': 'Trumpet', 'role': 'melody', 'program': 56, 'drums': False}),
        ('generate', {'tracks': ('Trumpet',), 'bars': (3, 3), 'prompt': ''}),
    ]),
    ('could you please make the bass louder in bars 3 to 4', [
        ('velocity', {'tracks': ('Bass',), 'bars': (3, 4), 'change_db': 6.0, 'shape': 'level'}),
    ]),
    ("I'd like the drums to be quieter", [
        ('change_gain', {'track': 'Drums', 'change_db': -6.0}),
    ]),
    ('get rid of bars 5-8 of the keys', [
        ('clear_notes', {'tracks': ('Keys',), 'bars': (5, 8)}),
    ]),
    ('make the keys play an octave higher', [
        ('transpose', {'tracks': ('Keys',), 'semitones': 12, 'bars': None}),
    ]),
    ('bring the lead down a semitone', [
        ('transpose', {'tracks': ('Lead',), 'semitones': -1, 'bars': None}),
    ]),
    ('shift everything up by 2', [
        ('transpose', {'tracks': ('Lead', 'Keys', 'Bass'), 'semitones': 2, 'bars': None}),
    ]),
    ('more energetic please', [
        ('change_tempo', {'bpm': 103.68}),
        ('velocity', {'tracks': ('Lead', 'Keys', 'Bass', 'Drums'), 'bars': None, 'change_db': 3.0, 'shape': 'level'}),
    ]),
    ('turn the volume of the bass down by 3 db', [
        ('change_gain', {'track': 'Bass', 'change_db': -3.0}),
    ]),
    ('put the lead on a trumpet', [
        ('set_instrument', {'track': 'Lead', 'program': 56}),
    ]),
    ('make the melody a trumpet', [
        ('set_instrument', {'track': 'Lead', 'program': 56}),
    ]),
    ('mute bass', [
        ('mute', {'track': 'Bass', 'muted': True}),
    ]),
    ('solo drums and bass', [
        ('solo', {'track': 'Bass', 'solo': True}),
        ('solo', {'track': 'Drums', 'solo': True}),
    ]),
    ('cut bars 5 to 8 from the drums', [
        ('clear_notes', {'tracks': ('Drums',), 'bars': (5, 8)}),
    ]),
    ('the drums are too loud', [
        ('change_gain', {'track': 'Drums', 'change_db': -6.0}),
    ]),
    ("it's too slow", [
        ('change_tempo', {'bpm': 105.6}),
    ]),
    ('add a bass line', [
        ('add_track', {'name': 'Bass 2', 'role': 'bass', 'program': 33, 'drums': False}),
        ('generate', {'tracks': ('Bass 2',), 'bars': None, 'prompt': ''}),
    ]),
    ('add another melody in the first 4 bars', [
        ('add_track', {'name': 'Melody', 'role': 'melody', 'program': 73, 'drums': False}),
        ('generate', {'tracks': ('Melody',), 'bars': (1, 4), 'prompt': ''}),
    ]),
    ('write a counter melody for the second half', [
        ('add_track', {'name': 'Counter', 'role': 'counter', 'program': 71, 'drums': False}),
        ('generate', {'tracks': ('Counter',), 'bars': (5, 8), 'prompt': ''}),
    ]),
    ('give the bass some variation in bars 7-8', [
        ('infill', {'tracks': ('Bass',), 'bars': (7, 8)}),
    ]),
    ('lower the lead by an octave in the last 2 bars', [
        ('transpose', {'tracks': ('Lead',), 'semitones': -12, 'bars': (7, 8)}),
    ]),
    ('delete bar 3 of the lead', [
        ('clear_notes', {'tracks': ('Lead',), 'bars': (3, 3)}),
    ]),
    ('add drums from bar 5 to bar 8', [
        ('add_track', {'name': 'Drums 2', 'role': 'drums', 'program': 0, 'drums': True}),
        ('generate', {'tracks': ('Drums 2',), 'bars': (5, 8), 'prompt': ''}),
    ]),
    ('add a bossa nova groove', [
        ('add_track', {'name': 'Drums 2', 'role': 'drums', 'program': 0, 'drums': True}),
        ('generate', {'tracks': ('Drums 2',), 'bars': None, 'prompt': 'bossa nova'}),
    ]),
    ('separate the guitar', [
        ('separate', {'track': 'Guitar (audio)', 'stems': ('drums', 'bass', 'other', 'vocals'), 'names': {'drums': 'Guitar (audio) drums', 'bass': 'Guitar (audio) bass', 'other': 'Guitar (audio) other', 'vocals': 'Guitar (audio) vocals'}, 'mute_source': True, 'mute_stems': False}),
    ]),
    ('keep only the drums', [
        ('solo', {'track': 'Drums', 'solo': True}),
    ]),
    ('transpose the whole song down a semitone', [
        ('transpose', {'tracks': ('Lead', 'Keys', 'Bass'), 'semitones': -1, 'bars': None}),
    ]),
    ("change the lead's instrument to clarinet", [
        ('set_instrument', {'track': 'Lead', 'program': 71}),
    ]),
    ("Can you remove the drums from bar 5 onwards?", [
        ("clear_notes", {"tracks": ("Drums",), "bars": (5, 8)}),
    ]),
    ("make the last bar louder and the first bar softer", [
        ("dynamics", {"bars": (8, 8), "change_db": 6.0, "shape": "level"}),
        ("dynamics", {"bars": (1, 1), "change_db": -6.0, "shape": "level"}),
    ]),
    ("regenerate the keys and the lead from bar 3 to bar 6", [
        ("infill", {"tracks": ("Lead", "Keys"), "bars": (3, 6)}),
    ]),
    ("lower everything by a fifth", [
        ("transpose", {"tracks": ("Lead", "Keys", "Bass"), "semitones": -7, "bars": None}),
    ]),
    ("take the vocals out of the guitar", [
        ("separate", {"track": "Guitar (audio)", "stems": ("drums", "bass", "other"),
                      "names": {"drums": "Guitar (audio) drums", "bass": "Guitar (audio) bass",
                                "other": "Guitar (audio) other"}, "mute_source": True, "mute_stems": False}),
    ]),
    ("make the first 4 bars louder and the rest softer", [
        ("dynamics", {"bars": (1, 4), "change_db": 6.0, "shape": "level"}),
        ("dynamics", {"bars": (5, 8), "change_db": -6.0, "shape": "level"}),
    ]),
    ("crescendo in bars 1-4 and diminuendo over the rest", [
        ("dynamics", {"bars": (1, 4), "change_db": 12.0, "shape": "crescendo"}),
        ("dynamics", {"bars": (5, 8), "change_db": 12.0, "shape": "diminuendo"}),
    ]),
    ("raise the key by one semitone", [
        ("transpose", {"tracks": ("Lead", "Keys", "Bass"), "semitones": 1, "bars": None}),
        ("change_key", {"key": "Bb:minor", "transpose_notes": False}),
    ]),
    ("move the key down a whole step", [
        ("transpose", {"tracks": ("Lead", "Keys", "Bass"), "semitones": -2, "bars": None}),
        ("change_key", {"key": "G:minor", "transpose_notes": False}),
    ]),
    ("give it more energy", [
        ("change_tempo", {"bpm": 103.68}),
        ("velocity", {"tracks": ("Lead", "Keys", "Bass", "Drums"), "bars": None, "change_db": 3.0, "shape": "level"}),
    ]),
    ("add a synth pad under everything", [
        ("add_track", {"name": "Synth Pad", "role": "harmony", "program": 89, "drums": False}),
        ("generate", {"tracks": ("Synth Pad",), "bars": None, "prompt": ""}),
    ]),
    ("add a pad behind the whole band in the second half", [
        ("add_track", {"name": "Pad", "role": "harmony", "program": 89, "drums": False}),
        ("generate", {"tracks": ("Pad",), "bars": (5, 8), "prompt": ""}),
    ]),
    ("mute all the drums", [
        ("mute", {"track": "Drums", "muted": True}),
    ]),
    ("add a drum fill in bar 4", [
        ("add_track", {"name": "Drums 2", "role": "drums", "program": 0, "drums": True}),
        ("generate", {"tracks": ("Drums 2",), "bars": (4, 4), "prompt": "fill"}),
    ]),
    ("set bpm to 90", [
        ("change_tempo", {"bpm": 90.0}),
    ]),
    ("cut the song down to 6 bars", [
        ("set_length", {"bars": 6}),
    ]),
    ("mute the drums and turn the keys off", [
        ("mute", {"track": "Drums", "muted": True}),
        ("mute", {"track": "Keys", "muted": True}),
    ]),
    ("mute the bass, then turn it back on", [
        ("mute", {"track": "Bass", "muted": True}),
        ("mute", {"track": "Bass", "muted": False}),
    ]),
    ("drop the key to G minor", [
        ("change_key", {"key": "G:minor", "transpose_notes": True}),
    ]),
    ("get rid of the drusm", [
        ("remove_track", {"track": "Drums"}),
    ]),
    ("change the meter to 6/8 and slow it to 80", [
        ("change_meter", {"time_signature": "6/8"}),
        ("change_tempo", {"bpm": 80.0}),
    ]),
]


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
