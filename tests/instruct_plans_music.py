"""Exact plans, part 2 of the planner's table: instructions about the music itself — dynamics,
gain, transposition, tempo, key, meter, length, mood, feel, humanise, quantise, copied controls,
instruments and pan, and a first set of instructions that combine several of them.
The song is tests/instruct_song.py; tests/test_instruct_plans.py runs them."""
from __future__ import annotations

MUSIC: list[tuple[str, list[tuple[str, dict]]]] = [
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
]
