"""Exact plans, part 3 of the planner's table: the same operations said other ways — polite
requests, complaints ("the drums are too loud"), misspelt track names, short forms, and more
instructions of several steps. The song is tests/instruct_song.py; tests/test_instruct_plans.py
runs them."""
from __future__ import annotations

PHRASINGS: list[tuple[str, list[tuple[str, dict]]]] = [
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
