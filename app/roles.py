"""General MIDI names and families, and inferring a track's role from its content.

Rules, first match wins: channel 10 -> drums; a name that says what it is
("bass", "lead", "vocal", "pad", "drums", ...); GM programs 32-39 -> bass;
then by register and texture: the highest mostly-monophonic line with enough
notes -> melody, a low monophonic line -> bass, chords -> harmony, the rest
-> counter (monophonic) or other.
"""
from __future__ import annotations

import re

import numpy as np

from app.project import MidiTrack, Role

GM_NAMES = (
    "Acoustic Grand Piano", "Bright Acoustic Piano", "Electric Grand Piano", "Honky-tonk Piano",
    "Electric Piano 1", "Electric Piano 2", "Harpsichord", "Clavinet",
    "Celesta", "Glockenspiel", "Music Box", "Vibraphone", "Marimba", "Xylophone",
    "Tubular Bells", "Dulcimer",
    "Drawbar Organ", "Percussive Organ", "Rock Organ", "Church Organ", "Reed Organ",
    "Accordion", "Harmonica", "Tango Accordion",
    "Nylon Guitar", "Steel Guitar", "Jazz Guitar", "Clean Guitar", "Muted Guitar",
    "Overdriven Guitar", "Distortion Guitar", "Guitar Harmonics",
    "Acoustic Bass", "Fingered Bass", "Picked Bass", "Fretless Bass", "Slap Bass 1",
    "Slap Bass 2", "Synth Bass 1", "Synth Bass 2",
    "Violin", "Viola", "Cello", "Contrabass", "Tremolo Strings", "Pizzicato Strings",
    "Orchestral Harp", "Timpani",
    "String Ensemble 1", "String Ensemble 2", "Synth Strings 1", "Synth Strings 2",
    "Choir Aahs", "Voice Oohs", "Synth Voice", "Orchestra Hit",
    "Trumpet", "Trombone", "Tuba", "Muted Trumpet", "French Horn", "Brass Section",
    "Synth Brass 1", "Synth Brass 2",
    "Soprano Sax", "Alto Sax", "Tenor Sax", "Baritone Sax", "Oboe", "English Horn",
    "Bassoon", "Clarinet",
    "Piccolo", "Flute", "Recorder", "Pan Flute", "Blown Bottle", "Shakuhachi", "Whistle",
    "Ocarina",
    "Square Lead", "Sawtooth Lead", "Calliope Lead", "Chiff Lead", "Charang Lead",
    "Voice Lead", "Fifths Lead", "Bass + Lead",
    "New Age Pad", "Warm Pad", "Polysynth Pad", "Choir Pad", "Bowed Pad", "Metallic Pad",
    "Halo Pad", "Sweep Pad",
    "Rain FX", "Soundtrack FX", "Crystal FX", "Atmosphere FX", "Brightness FX",
    "Goblins FX", "Echoes FX", "Sci-fi FX",
    "Sitar", "Banjo", "Shamisen", "Koto", "Kalimba", "Bagpipe", "Fiddle", "Shanai",
    "Tinkle Bell", "Agogo", "Steel Drums", "Woodblock", "Taiko Drum", "Melodic Tom",
    "Synth Drum", "Reverse Cymbal",
    "Guitar Fret Noise", "Breath Noise", "Seashore", "Bird Tweet", "Telephone Ring",
    "Helicopter", "Applause", "Gunshot",
)
assert len(GM_NAMES) == 128

GM_FAMILIES = ("Piano", "Chromatic Percussion", "Organ", "Guitar", "Bass", "Strings",
               "Ensemble", "Brass", "Reed", "Pipe", "Synth Lead", "Synth Pad", "Synth Effects",
               "Ethnic", "Percussive", "Sound Effects")

_NAME_RULES = (
    (Role.DRUMS, r"drum|perc|kit|beat|hat|snare|kick"),
    (Role.BASS, r"bass|contrabass|tuba|bassoon"),
    (Role.MELODY, r"melod|lead|vocal|voice|vox|soprano|sing|solo|tune|theme"),
    (Role.HARMONY, r"pad|chord|harmon|comp|keys|piano|organ|rhythm guitar|strings|alto|tenor"),
    (Role.COUNTER, r"counter|obbligato|descant"),
)


def family(program: int) -> str:
    """GM family name for a program 0-127."""
    return GM_FAMILIES[max(0, min(127, program)) // 8]


def role_from_name(name: str) -> Role | None:
    lowered = name.lower()
    for role, pattern in _NAME_RULES:
        if re.search(pattern, lowered):
            return role
    return None


def polyphony(track: MidiTrack) -> float:
    """Share of notes that start while another note of the track still sounds."""
    notes = track.sorted_notes()
    if len(notes) < 2:
        return 0.0
    overlapping = 0
    latest_end = notes[0].end
    for note in notes[1:]:
        if note.start < latest_end - 10:  # a little legato overlap is still a line
            overlapping += 1
        latest_end = max(latest_end, note.end)
    return overlapping / (len(notes) - 1)


def infer_roles(tracks: list[MidiTrack]) -> None:
    """Set ``role`` on each track in place (see the module docstring for the rules)."""
    undecided: list[MidiTrack] = []
    for track in tracks:
        named = role_from_name(track.name) if not _is_gm_default_name(track) else None
        if track.is_drum:
            track.role = Role.DRUMS
        elif named is not None and named is not Role.DRUMS:
            track.role = named
        elif 32 <= track.program <= 39:
            track.role = Role.BASS
        else:
            undecided.append(track)
    _roles_by_register(undecided, have_melody=any(t.role is Role.MELODY for t in tracks),
                       have_bass=any(t.role is Role.BASS for t in tracks))


def _is_gm_default_name(track: MidiTrack) -> bool:
    return track.name in GM_NAMES or track.name == "Drums"


def _roles_by_register(tracks: list[MidiTrack], *, have_melody: bool, have_bass: bool) -> None:
    stats = []
    for track in tracks:
        if not track.notes:
            track.role = Role.OTHER
            continue
        pitches = np.array([n.pitch for n in track.notes])
        stats.append((track, float(np.mean(pitches)), polyphony(track), len(track.notes)))
    if not stats:
        return
    most = max(s[3] for s in stats)
    lines = [s for s in stats if s[2] < 0.2 and s[3] >= 0.25 * most and s[1] >= 55]
    melody = max(lines, key=lambda s: s[1], default=None) if not have_melody else None
    for track, mean_pitch, poly, _count in stats:
        if melody is not None and track is melody[0]:
            track.role = Role.MELODY
        elif poly >= 0.2:
            track.role = Role.HARMONY
        elif mean_pitch < 52 and not have_bass:
            track.role = Role.BASS
            have_bass = True
        elif not have_melody and melody is None:
            track.role = Role.MELODY
            have_melody = True
        else:
            track.role = Role.COUNTER
