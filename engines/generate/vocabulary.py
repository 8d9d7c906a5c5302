"""The words the prompt reader knows: tempo, emotion, density, register, grooves, parts, instruments.

Each phrase is a regular expression over the lower-cased prompt and a
``Meaning``: the attribute values it sets. Instruments are GM programs with a
kind that says which part they suit (a lead instrument takes the melody,
keys, pads and guitars the harmony, a bass the bass).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from engines.generate.attributes import Attributes


@dataclass(frozen=True)
class Meaning:
    """What a phrase means: the attributes it sets, parts it makes present (``roles_add``)
    or absent (``roles_drop``), whether the prompt names every part it wants (``only``),
    and how to say so (``text``)."""

    text: str
    attrs: Attributes = field(default_factory=Attributes)
    roles_add: frozenset[str] = frozenset()
    roles_drop: frozenset[str] = frozenset()
    only: bool = False

    def describe(self) -> str:
        return self.text


def _m(text: str, *, add: tuple[str, ...] = (), drop: tuple[str, ...] = (), only: bool = False,
       **attrs: Any) -> Meaning:
    return Meaning(text, Attributes(**attrs), frozenset(add), frozenset(drop), only)


TEMPO_WORDS = {"very slow": 56.0, "slow": 72.0, "moderate": 104.0, "medium tempo": 104.0,
               "mid-tempo": 104.0, "fast": 140.0, "quick": 140.0, "up-tempo": 136.0,
               "uptempo": 136.0, "very fast": 168.0, "largo": 56.0, "adagio": 66.0,
               "andante": 84.0, "moderato": 108.0, "allegro": 132.0, "presto": 176.0}
"""Tempo words -> quarter notes per minute."""

_EMOTION_WORDS = {
    "happy": ("happy", "joyful", "joyous", "cheerful", "bright", "upbeat", "uplifting", "fun",
              "sunny", "playful", "triumphant", "hopeful"),
    "tense": ("tense", "angry", "dark", "aggressive", "anxious", "scary", "ominous", "menacing",
              "dramatic", "intense", "furious", "nervous", "suspenseful"),
    "sad": ("sad", "melancholic", "melancholy", "gloomy", "sorrowful", "mournful", "somber",
            "sombre", "lonely", "tragic", "depressing", "heartbroken", "blue"),
    "calm": ("calm", "gentle", "peaceful", "relaxed", "relaxing", "serene", "dreamy", "chill",
             "mellow", "soothing", "tender", "tranquil", "quiet", "soft", "lullaby"),
}
_STYLE_WORDS = {
    "straight8": ("straight 8ths", "straight eighths", "straight eights", "eighth notes", "8ths",
                  "rock", "pop", "punk", "country"),
    "sixteenths": ("16ths", "sixteenths", "sixteenth notes", "funk", "funky"),
    "halftime": ("half-time", "half time", "halftime", "hip hop", "hip-hop", "trap", "lo-fi", "lofi"),
    "four_on_floor": ("four on the floor", "four-on-the-floor", "4 on the floor", "disco", "house",
                      "techno", "edm", "dance", "club"),
    "shuffle": ("shuffle", "swing", "swung", "blues", "bluesy", "jazz", "jazzy"),
    "waltz": ("waltz",),
    "six_eight": ("six eight", "six-eight", "compound time"),
    "bossa": ("bossa nova", "bossa", "latin", "samba"),
}
_STYLE_NAMES = {"straight8": "straight 8ths", "sixteenths": "16ths", "halftime": "half-time",
                "four_on_floor": "four-on-the-floor", "shuffle": "shuffle", "waltz": "waltz",
                "six_eight": "6/8", "bossa": "bossa nova"}


def _phrases() -> list[tuple[str, Meaning]]:
    out: list[tuple[str, Meaning]] = []
    for words, value in sorted(TEMPO_WORDS.items(), key=lambda kv: -len(kv[0])):
        out.append((rf"\b{words}(?:ly)?\b", _m(f"tempo {value:g} BPM", tempo=value)))
    out += [(r"\b(?:energetic|driving|powerful|high[- ]energy|lively|exciting)\b",
             _m("busy, fast", density="busy", tempo=132.0)),
            (r"\bballad\b", _m("slow, sparse", tempo=72.0, density="sparse"))]
    for emotion, feelings in _EMOTION_WORDS.items():
        out.append((rf"\b(?:{'|'.join(feelings)})\b", _m(f"emotion {emotion}", emotion=emotion)))
    out += [(r"\b(?:sparse|minimal|simple|light|spacious|slow-moving)\b", _m("density sparse", density="sparse")),
            (r"\b(?:busy|dense|complex|intricate|rich|fast-moving|active)\b", _m("density busy", density="busy")),
            (r"\bmedium density\b", _m("density medium", density="medium")),
            (r"\b(?:high|higher) (?:register|pitched|notes)\b|\bhigh\b", _m("register high", register="high")),
            (r"\b(?:low|lower) (?:register|pitched|notes)\b|\blow\b|\bdeep\b", _m("register low", register="low")),
            (r"\bwaltz\b", _m("waltz in 3/4", drum_style="waltz", meter=(3, 4)))]
    for style, names in _STYLE_WORDS.items():
        if style != "waltz":
            pattern = "|".join(w.replace(" ", r"[\s-]+") for w in sorted(names, key=len, reverse=True))
            out.append((rf"\b(?:{pattern})\b", _m(f"groove {_STYLE_NAMES[style]}", drum_style=style)))
    out += [(r"\b(?:no|without|drumless|minus)\s+(?:the\s+)?(?:drums?|percussion|beat)\b|\bdrumless\b",
             _m("no drums", drop=("drums",))),
            (r"\b(?:no|without)\s+(?:the\s+)?bass\b", _m("no bass", drop=("bass",))),
            (r"\b(?:drums?|percussion|drum kit|beat)\b", _m("drums", add=("drums",))),
            (r"\b(?:melody|lead|tune)\b", _m("a melody", add=("melody",))),
            (r"\b(?:chords|harmony|accompaniment|comping)\b", _m("harmony", add=("harmony",))),
            (r"\b(?:only|just|solo|alone|unaccompanied)\b", _m("only the parts named", only=True)),
            (r"\bmajor\b", _m("mode major", mode="major")),
            (r"\bminor\b", _m("mode minor", mode="minor")),
            (r"\bin three\b", _m("meter 3/4", meter=(3, 4)))]
    return out


@dataclass(frozen=True)
class Instrument:
    """A GM program and the part it suits: "lead", "keys", "pad", "guitar" or "bass"."""

    program: int
    kind: str

    def describe(self, name: str) -> str:
        return f"{name} (GM program {self.program + 1}{', the bass' if self.kind == 'bass' else ''})"


INSTRUMENTS = {
    "piano": Instrument(0, "keys"), "grand piano": Instrument(0, "keys"),
    "electric piano": Instrument(4, "keys"), "rhodes": Instrument(4, "keys"),
    "harpsichord": Instrument(6, "keys"), "organ": Instrument(16, "keys"),
    "church organ": Instrument(19, "keys"), "accordion": Instrument(21, "keys"),
    "harmonica": Instrument(22, "lead"), "vibraphone": Instrument(11, "keys"),
    "marimba": Instrument(12, "keys"), "xylophone": Instrument(13, "lead"), "bells": Instrument(14, "lead"),
    "music box": Instrument(10, "lead"), "celesta": Instrument(8, "lead"),
    "guitar": Instrument(25, "guitar"), "acoustic guitar": Instrument(25, "guitar"),
    "nylon guitar": Instrument(24, "guitar"), "electric guitar": Instrument(27, "guitar"),
    "distorted guitar": Instrument(30, "guitar"), "distortion guitar": Instrument(30, "guitar"),
    "bass": Instrument(33, "bass"), "electric bass": Instrument(33, "bass"),
    "bass guitar": Instrument(33, "bass"), "acoustic bass": Instrument(32, "bass"),
    "upright bass": Instrument(32, "bass"), "double bass": Instrument(32, "bass"),
    "synth bass": Instrument(38, "bass"), "slap bass": Instrument(36, "bass"),
    "violin": Instrument(40, "lead"), "viola": Instrument(41, "lead"), "cello": Instrument(42, "lead"),
    "strings": Instrument(48, "pad"), "string ensemble": Instrument(48, "pad"),
    "harp": Instrument(46, "keys"), "choir": Instrument(52, "pad"), "voice": Instrument(53, "lead"),
    "trumpet": Instrument(56, "lead"), "trombone": Instrument(57, "lead"), "tuba": Instrument(58, "bass"),
    "french horn": Instrument(60, "lead"), "horn": Instrument(60, "lead"), "brass": Instrument(61, "pad"),
    "saxophone": Instrument(65, "lead"), "sax": Instrument(65, "lead"), "oboe": Instrument(68, "lead"),
    "clarinet": Instrument(71, "lead"), "bassoon": Instrument(70, "lead"), "flute": Instrument(73, "lead"),
    "piccolo": Instrument(72, "lead"), "recorder": Instrument(74, "lead"), "pan flute": Instrument(75, "lead"),
    "ocarina": Instrument(79, "lead"), "whistle": Instrument(78, "lead"),
    "synth": Instrument(81, "lead"), "synth lead": Instrument(81, "lead"), "lead synth": Instrument(81, "lead"),
    "square lead": Instrument(80, "lead"), "pad": Instrument(89, "pad"), "synth pad": Instrument(89, "pad"),
    "sitar": Instrument(104, "lead"), "banjo": Instrument(105, "guitar"), "kalimba": Instrument(108, "keys"),
    "steel drums": Instrument(114, "lead"),
}
"""Instrument names -> GM program and kind (names also match with a plural "s")."""

FILLERS = frozenset("""a an the and or with in of some for please music song piece track tune tunes
make me give write generate create compose style feel like that this it to on at by from into
sound sounding sounds kind sort bit little very quite rather really more less mood vibe vibes
something somewhat feeling plus using use played playing play part parts tempo key bpm
""".split())
"""Words that carry no attribute and are not reported as ignored."""


def assign_programs(names: list[str]) -> tuple[dict[str, int], set[str]]:
    """Instruments in prompt order -> (GM program per role, parts they make present).

    Bass instruments play the bass. Of the others, a lead instrument (else the
    first named) takes the melody and the next one the harmony; one instrument
    alone plays both.
    """
    programs: dict[str, int] = {}
    parts: set[str] = set()
    pitched = [INSTRUMENTS[n] for n in names if INSTRUMENTS[n].kind != "bass"]
    for name in names:
        if INSTRUMENTS[name].kind == "bass":
            programs["bass"] = INSTRUMENTS[name].program
            parts.add("bass")
    if pitched:
        lead = next((i for i in pitched if i.kind == "lead"), pitched[0])
        rest = [i for i in pitched if i is not lead]
        programs["melody"] = lead.program
        programs["harmony"] = (rest[0] if rest else lead).program
        parts |= {"melody", "harmony"}
    return programs, parts


PHRASES = _phrases()
"""(regular expression, meaning), tried in this order after numbers and keys."""
