"""What words mean to the planner: roles, instruments, styles, moods, intervals.

Roles are the project's (``melody``, ``harmony``, ``bass``, ``counter``,
``drums``, ``other``); programs are General MIDI 0-127.
"""
from __future__ import annotations

import re
from typing import Iterable

ROLE_WORDS: dict[str, tuple[str, ...]] = {
    "bass": ("bass line", "bassline", "bass part", "bass track", "low end", "bass"),
    "drums": ("drum part", "drum track", "drum kit", "drum beat", "drumbeat", "drum groove",
              "drums", "drum", "percussion", "kit", "beat", "groove", "rhythm track"),
    "melody": ("lead line", "lead part", "top line", "topline", "melody line", "melody", "lead",
               "tune", "theme", "vocal line", "hook", "solo"),
    "counter": ("counter melody", "counter-melody", "countermelody", "counter line", "counterline",
                "second melody", "descant", "obbligato"),
    "harmony": ("chord part", "chords", "chord", "harmony", "harmonies", "comping", "accompaniment",
                "backing", "pads", "pad"),
}
"""Role -> words that name it, longest first within each role."""

ROLE_NAMES = {"melody": "Melody", "harmony": "Chords", "bass": "Bass", "counter": "Counter",
              "drums": "Drums", "other": "Part"}
"""The name a new track of a role gets (made unique against the project's names)."""

DEFAULT_PROGRAM = {"melody": 73, "harmony": 0, "bass": 33, "counter": 71, "other": 0}
"""GM program of a new part of a role when no instrument is named."""

INSTRUMENTS: dict[str, tuple[int, str]] = {
    # word(s) -> (GM program, the role such an instrument usually plays)
    "grand piano": (0, "harmony"), "acoustic piano": (0, "harmony"), "piano": (0, "harmony"),
    "electric piano": (4, "harmony"), "rhodes": (4, "harmony"), "wurlitzer": (4, "harmony"),
    "e-piano": (4, "harmony"), "harpsichord": (6, "harmony"), "clavinet": (7, "harmony"),
    "clav": (7, "harmony"), "celesta": (8, "melody"), "glockenspiel": (9, "melody"),
    "music box": (10, "melody"), "vibraphone": (11, "melody"), "vibes": (11, "melody"),
    "marimba": (12, "melody"), "xylophone": (13, "melody"), "bells": (14, "melody"),
    "organ": (16, "harmony"), "hammond": (16, "harmony"), "church organ": (19, "harmony"),
    "accordion": (21, "harmony"), "harmonica": (22, "melody"),
    "nylon guitar": (24, "harmony"), "classical guitar": (24, "harmony"),
    "acoustic guitar": (25, "harmony"), "guitar": (25, "harmony"), "jazz guitar": (26, "harmony"),
    "clean guitar": (27, "harmony"), "electric guitar": (27, "harmony"),
    "muted guitar": (28, "harmony"), "overdriven guitar": (29, "harmony"),
    "distorted guitar": (30, "harmony"), "distortion guitar": (30, "harmony"),
    "acoustic bass": (32, "bass"), "upright bass": (32, "bass"), "double bass": (32, "bass"),
    "electric bass": (33, "bass"), "bass guitar": (33, "bass"), "fingered bass": (33, "bass"),
    "picked bass": (34, "bass"), "fretless bass": (35, "bass"), "slap bass": (36, "bass"),
    "synth bass": (38, "bass"), "violin": (40, "melody"), "fiddle": (40, "melody"),
    "viola": (41, "harmony"), "cello": (42, "counter"), "contrabass": (43, "bass"),
    "strings": (48, "harmony"), "string section": (48, "harmony"), "harp": (46, "harmony"),
    "timpani": (47, "other"), "choir": (52, "harmony"), "voices": (52, "harmony"),
    "trumpet": (56, "melody"), "trombone": (57, "counter"), "tuba": (58, "bass"),
    "french horn": (60, "counter"), "horn": (60, "counter"), "horns": (61, "harmony"),
    "brass": (61, "harmony"), "brass section": (61, "harmony"), "synth brass": (62, "harmony"),
    "soprano sax": (64, "melody"), "alto sax": (65, "melody"), "sax": (65, "melody"),
    "saxophone": (65, "melody"), "tenor sax": (66, "melody"), "baritone sax": (67, "bass"),
    "oboe": (68, "melody"), "english horn": (69, "melody"), "bassoon": (70, "bass"),
    "clarinet": (71, "melody"), "piccolo": (72, "melody"), "flute": (73, "melody"),
    "recorder": (74, "melody"), "pan flute": (75, "melody"), "whistle": (78, "melody"),
    "ocarina": (79, "melody"), "square lead": (80, "melody"), "synth lead": (81, "melody"),
    "saw lead": (81, "melody"), "synth": (81, "melody"), "synth pad": (89, "harmony"),
    "warm pad": (89, "harmony"), "pad": (89, "harmony"), "pads": (89, "harmony"),
    "string pad": (50, "harmony"), "sitar": (104, "melody"), "banjo": (105, "harmony"),
    "koto": (107, "melody"), "kalimba": (108, "melody"), "bagpipe": (109, "melody"),
    "bagpipes": (109, "melody"), "steel drums": (114, "melody"), "steel drum": (114, "melody"),
}
"""Instrument words -> (GM program, usual role). Multi-word names first when matching."""

DRUM_KIT_WORDS = ("drum kit", "drums", "kit", "percussion")

STYLE_WORDS = (
    "four on the floor", "four-on-the-floor", "bossa nova", "laid back", "laid-back", "half-time",
    "half time", "double-time", "double time", "walking", "funky", "funk", "syncopated",
    "brushed", "brushes", "shuffle", "shuffled", "swing", "swung", "swinging", "bossa", "reggae",
    "rock", "pop", "disco", "latin", "jazzy", "jazz", "folk", "ballad", "gentle", "soft",
    "busy", "sparse", "simple", "arpeggiated", "driving", "straight", "8th", "16th", "steady",
    "bouncy", "lively", "smooth", "slow", "fast", "dark", "bright", "warm", "minimal", "melodic",
    "catchy", "punchy", "heavy", "light", "quiet", "loud", "groovy", "waltz", "march",
    "sustained", "staccato", "legato", "plucked", "rhythmic", "offbeat", "dub", "motown",
    "country", "blues", "bluesy", "gospel", "soul", "soulful", "rnb", "hip-hop", "trap",
    "house", "techno", "electronic", "acoustic", "cinematic", "epic",
)
"""Words that describe how a new part should sound (they go to the generator's prompt)."""

STYLE_ROLES = {"shuffle": "drums", "backbeat": "drums", "breakbeat": "drums", "fill": "drums",
               "fills": "drums", "bossa": "drums", "bossa nova": "drums",
               "four on the floor": "drums", "four-on-the-floor": "drums"}
"""Style nouns that name a drum part on their own ("add a brushed shuffle")."""

MOODS: dict[str, tuple[int, int]] = {
    # word -> (valence change, arousal change), EmoGen's two axes
    "happier": (1, 1), "happy": (1, 1), "cheerful": (1, 1), "cheerier": (1, 1),
    "joyful": (1, 1), "brighter": (1, 0), "more uplifting": (1, 1), "uplifting": (1, 1),
    "more upbeat": (1, 1), "upbeat": (1, 1), "sadder": (-1, -1), "sad": (-1, -1),
    "more melancholic": (-1, -1), "melancholic": (-1, -1), "melancholy": (-1, -1),
    "gloomier": (-1, -1), "darker": (-1, 0), "more somber": (-1, -1), "sombre": (-1, -1),
    "somber": (-1, -1), "calmer": (0, -1), "calm": (0, -1), "more relaxed": (0, -1),
    "relaxed": (0, -1), "more peaceful": (1, -1), "peaceful": (1, -1), "mellower": (0, -1),
    "more mellow": (0, -1), "mellow": (0, -1), "chill": (0, -1), "chiller": (0, -1),
    "more chill": (0, -1), "gentler": (0, -1), "more gentle": (0, -1), "dreamier": (1, -1),
    "more energetic": (0, 1), "energetic": (0, 1), "more intense": (-1, 1), "intense": (-1, 1),
    "more exciting": (0, 1), "exciting": (0, 1), "more driving": (0, 1), "punchier": (0, 1),
    "more aggressive": (-1, 1), "aggressive": (-1, 1), "angrier": (-1, 1), "tenser": (-1, 1),
    "more tense": (-1, 1), "tense": (-1, 1), "livelier": (0, 1), "more lively": (0, 1),
    "more upbeat and happy": (1, 1), "more energy": (0, 1), "less energy": (0, -1), "less energetic": (0, -1),
    "more life": (0, 1), "more excitement": (0, 1),
}
"""Mood words -> (valence, arousal) direction: +1 raise, -1 lower, 0 leave."""

INTERVALS: dict[str, int] = {
    "semitone": 1, "semitones": 1, "half step": 1, "half steps": 1, "half-step": 1,
    "half-steps": 1, "halfstep": 1, "half tone": 1, "half-tone": 1, "halftone": 1, "half tones": 1,
    "whole step": 2, "whole steps": 2, "whole-step": 2, "whole tone": 2, "whole-tone": 2,
    "whole tones": 2, "tone": 2, "tones": 2, "step": 2, "steps": 2, "minor 2nd": 1,
    "major 2nd": 2, "minor 3rd": 3, "major 3rd": 4, "perfect 4th": 5, "4th": 5, "tritone": 6,
    "augmented 4th": 6, "diminished 5th": 6, "perfect 5th": 7, "5th": 7, "minor 6th": 8,
    "major 6th": 9, "minor 7th": 10, "major 7th": 11, "octave": 12, "octaves": 12,
}
"""Interval names -> semitones (per unit: "2 octaves" is 24)."""

AMBIGUOUS_INTERVALS = {"2nd": ("minor 2nd", "major 2nd"), "3rd": ("minor 3rd", "major 3rd"),
                       "6th": ("minor 6th", "major 6th"), "7th": ("minor 7th", "major 7th")}
"""Interval names whose size depends on a quality the user did not say."""

GRIDS = {"1/4": "1/4", "quarter": "1/4", "quarter note": "1/4", "quarter notes": "1/4",
         "quarters": "1/4", "1/8": "1/8", "8th": "1/8", "8th note": "1/8", "8th notes": "1/8",
         "8ths": "1/8", "eighths": "1/8", "eighth": "1/8", "eighth notes": "1/8",
         "eighth note": "1/8", "1/16": "1/16", "16th": "1/16", "16th note": "1/16",
         "16th notes": "1/16", "16ths": "1/16", "sixteenths": "1/16", "sixteenth notes": "1/16",
         "1/32": "1/32", "32nd notes": "1/32", "triplets": "1/8T", "8th triplets": "1/8T",
         "1/8t": "1/8T", "16th triplets": "1/16T", "1/16t": "1/16T"}
"""Quantise grids by name (the piano roll's grid names)."""


def alternatives(words: Iterable[str]) -> str:
    """A regex alternation of phrases, longest first; a space or hyphen matches either."""
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    return "|".join("[ -]".join(re.escape(part) for part in re.split(r"[ -]", w)) for w in ordered)
