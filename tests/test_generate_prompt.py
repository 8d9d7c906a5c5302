"""The prompt reader: plain phrases -> attributes, what it understood and what it ignored."""
from __future__ import annotations

import pytest

from engines.generate.attributes import Attributes, resolved
from engines.generate.prompt import read_prompt


def test_slow_sad_piano_in_d_minor():
    reading = read_prompt("slow sad piano in D minor")
    a = reading.attributes
    assert (a.tonic, a.mode, a.tempo, a.emotion) == (2, "minor", 72.0, "sad")
    assert a.programs == {"melody": 0, "harmony": 0}
    assert [w for w, _ in reading.understood] == ["slow", "sad", "piano", "in d minor"]
    assert reading.ignored == ()
    r = resolved(a)
    assert (r.density, r.register) == ("sparse", "low"), "sad fills what was not asked"


def test_energetic_drums_and_bass_128_bpm():
    reading = read_prompt("energetic, drums and bass, 128 bpm")
    a = reading.attributes
    assert a.tempo == 128.0, "the number beats the word"
    assert a.density == "busy" and a.programs == {"bass": 33}
    assert a.roles is None, "drums and bass are there; so are melody and harmony"
    assert "128 bpm → tempo 128 BPM" in reading.summary()


@pytest.mark.parametrize("text,tonic,mode", [
    ("in F# minor", 6, "minor"), ("E flat major", 3, "major"), ("Bb", 10, "major"), ("F#m groove", 6, "minor"),
    ("C:minor", 0, "minor"), ("key of A major", 9, "major"), ("Dm", 2, "minor"), ("in b-flat minor", 10, "minor"),
    ("bossa in G, busy", 7, "major"), ("in Ab", 8, "major"), ("C", 0, "major"),
])
def test_keys_in_the_ways_people_write_them(text, tonic, mode):
    a = read_prompt(text).attributes
    assert (a.tonic, a.mode) == (tonic, mode)


def test_a_lone_capital_a_is_an_article_not_a_key():
    assert read_prompt("A happy tune").attributes.tonic is None


def test_meters_grooves_and_parts():
    a = read_prompt("waltz in E flat major").attributes
    assert a.meter == (3, 4) and a.drum_style == "waltz"
    a = read_prompt("bossa nova, 6/8? no: 7/8").attributes
    assert a.drum_style == "bossa" and a.meter == (7, 8), "the later meter wins"
    a = read_prompt("four on the floor house").attributes
    assert a.drum_style == "four_on_floor"
    a = read_prompt("a calm lullaby with harp and no drums").attributes
    assert a.roles == ("melody", "harmony", "bass") and a.programs["melody"] == 46
    a = read_prompt("solo piano").attributes
    assert a.roles == ("melody", "harmony")


def test_two_instruments_split_melody_and_harmony():
    a = read_prompt("strings and flute").attributes
    assert a.programs == {"melody": 73, "harmony": 48}, "the lead instrument takes the melody"
    a = read_prompt("cello, upright bass and electric piano").attributes
    assert a.programs == {"bass": 32, "melody": 42, "harmony": 4}


def test_unknown_words_are_reported_and_odd_input_never_raises():
    reading = read_prompt("jazzy cowbell groove, zzz 12/0 999 bpm")
    assert reading.attributes.drum_style == "shuffle"
    assert "cowbell" in reading.ignored and "zzz" in reading.ignored
    assert reading.attributes.tempo is None and reading.attributes.meter is None
    for text in ("", "   ", "!!!", "in in in", "ḃ ♭ ♯", "120"):
        read_prompt(text)


def test_attributes_merge_and_check():
    merged = read_prompt("sad piano").attributes.merged(Attributes(tempo=90.0, tonic=7, mode="major"))
    assert (merged.tempo, merged.tonic, merged.emotion, merged.programs["melody"]) == (90.0, 7, "sad", 0)
    with pytest.raises(ValueError):
        Attributes(density="loud")
    assert resolved(Attributes(meter=(6, 8), drum_style="straight8")).drum_style == "six_eight"


@pytest.mark.parametrize("text,understood,ignored", [
    ("gentle, minor, strings and piano",
     [("gentle", "emotion calm"), ("minor", "mode minor"), ("strings", "strings (GM program 49)"),
      ("piano", "piano (GM program 1)")], []),
    ("happy upbeat pop in G major at 120 bpm",
     [("happy", "emotion happy"), ("upbeat", "emotion happy"), ("pop", "groove straight 8ths"),
      ("in g major", "key G major"), ("at 120 bpm", "tempo 120 BPM")], []),
    ("dark tense funk in F# minor, busy",
     [("dark", "emotion tense"), ("tense", "emotion tense"), ("funk", "groove 16ths"),
      ("in f# minor", "key F# minor"), ("busy", "density busy")], []),
    ("calm lullaby, harp, no drums, high",
     [("calm", "emotion calm"), ("lullaby", "emotion calm"), ("harp", "harp (GM program 47)"),
      ("no drums", "no drums"), ("high", "register high")], []),
    ("jazzy swing trio 3/4", [("jazzy", "groove shuffle"), ("swing", "groove shuffle"), ("3/4", "meter 3/4")],
     ["trio"]),
    ("epic orchestral choir", [("choir", "choir (GM program 53)")], ["epic", "orchestral"]),
    ("low mellow bass and piano, 90 bpm, half-time",
     [("low", "register low"), ("mellow", "emotion calm"), ("bass", "bass (GM program 34, the bass)"),
      ("piano", "piano (GM program 1)"), ("90 bpm", "tempo 90 BPM"), ("half-time", "groove half-time")], []),
    ("only bass and drums", [("only", "only the parts named"), ("bass", "bass (GM program 34, the bass)"),
                             ("drums", "drums")], []),
    ("blah blah", [], ["blah", "blah"]),
])
def test_each_phrase_is_understood_or_reported_as_ignored(text, understood, ignored):
    reading = read_prompt(text)
    assert list(reading.understood) == understood
    assert list(reading.ignored) == ignored
    words = {w for w, _ in reading.understood} | set(reading.ignored)
    assert all(w.split()[0] in text.lower() for w in words)


@pytest.mark.parametrize("text,expected", [
    ("gentle, minor, strings and piano", dict(mode="minor", emotion="calm", programs={"melody": 48, "harmony": 0})),
    ("happy upbeat pop in G major at 120 bpm", dict(tonic=7, mode="major", tempo=120.0, drum_style="straight8")),
    ("dark tense funk in F# minor, busy", dict(tonic=6, mode="minor", density="busy", drum_style="sixteenths")),
    ("calm lullaby, harp, no drums, high", dict(register="high", roles=("melody", "harmony", "bass"))),
    ("Fast four on the floor house in A minor, synth lead", dict(tempo=140.0, tonic=9, drum_style="four_on_floor")),
    ("a quiet ballad for guitar and flute", dict(tempo=72.0, density="sparse", programs={"melody": 73, "harmony": 25})),
    ("only bass and drums", dict(roles=("bass", "drums"))),
    ("slow slow fast", dict(tempo=140.0)),
])
def test_what_is_understood_becomes_the_attributes(text, expected):
    a = read_prompt(text).attributes
    assert {k: getattr(a, k) for k in expected} == expected


def test_the_reading_is_the_same_every_time_and_in_every_process():
    import subprocess
    import sys

    texts = ["calm lullaby, harp, no drums, high", "only bass and drums", "strings and flute, cello, bass",
             "energetic, drums and bass, 128 bpm", "jazzy cowbell groove, zzz"]
    code = ("import sys; from engines.generate.prompt import read_prompt\n"
            "for t in sys.argv[1:]: r = read_prompt(t); print(r.summary(), repr(r.attributes))")
    runs = {subprocess.run([sys.executable, "-c", code, *texts], capture_output=True, text=True, check=True,
                           env={"PYTHONHASHSEED": seed, "PATH": ""}).stdout for seed in ("0", "1", "12345")}
    assert len(runs) == 1, "set order (hash seed) must not change the reading"
    here = "".join(f"{read_prompt(t).summary()} {read_prompt(t).attributes!r}\n" for t in texts)
    assert runs == {here}
