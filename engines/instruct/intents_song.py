"""Intents about the whole song: tempo, key and mode, meter, length, mood, pan;
and the refusals for what Partita does not do from words (effects, questions, files)."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from engines.instruct.clause import Clause
from engines.instruct.intents_shape import DIRECTION_DOWN, DIRECTION_UP, INTERVAL, take_semitones
from engines.instruct.intent_support import default_tracks, midi_only, named, size
from engines.instruct.lexicon import MOODS, alternatives
from engines.instruct.plan import Refuse, Step
from engines.instruct.state import State

if TYPE_CHECKING:
    from engines.instruct.planner import Planner

FASTER = r"faster|quicker|speed (?:it |things )?up|speed|up the tempo|increase|raise|push|hurry|up"
SLOWER = r"slower|slow (?:it |things )?down|slow|decrease|lower|drop|reduce|down"
NUMBER = r"(\d+(?:\.\d+)?)"


def tempo(clause: Clause, state: State, planner: "Planner") -> list[Step]:
    """"set the tempo to 100 bpm", "10% faster", "slow down by 8 bpm", "double the tempo"."""
    now, cfg = state.song.tempo, planner.config
    clause.take_all(r"set|change|make|put|take|bring|play|move|(?:the )?(?:tempo|pace|speed) of|(?:the )?tempo"
                    r"|(?:the )?bpm(?= to)"
                    r"|the song")
    if planner.bars(clause, state) is not None:
        raise Refuse("the tempo is the whole song's; I change it for every bar",
                     suggestions=("set the tempo to 100 bpm", "make it 10% faster"))
    if clause.take(r"double(?: the)?(?: tempo| speed)?|twice as fast|double speed"):
        return [planner.step("change_tempo", bpm=round(now * 2, 2))]
    if clause.take(r"halve(?: the)?(?: tempo| speed)?|half(?: the)? (?:tempo|speed)|half as fast"):
        return [planner.step("change_tempo", bpm=round(now / 2, 2))]
    too = clause.take(r"too (fast|slow)")
    sign = (-1 if too[1] == "fast" else 1) if too else 1 if clause.take(FASTER) else -1 if clause.take(SLOWER) else 0
    if (m := clause.take(rf"(?:by )?{NUMBER} ?(?:%|percent)")) is not None:
        if not sign:
            raise Refuse("faster or slower?", suggestions=(f"make it {m[1]}% faster",))
        return [planner.step("change_tempo", bpm=round(now * (1 + sign * float(m[1]) / 100), 2))]
    by = clause.take(r"by")
    if (m := clause.take(rf"(?:to |at |of |= ?)?{NUMBER}(?: ?(?:bpm|beats per minute|beats a minute))?")) is not None:
        value = float(m[1])
        relative = sign and (by or not m[0].startswith(("to", "at", "of", "=")))
        return [planner.step("change_tempo", bpm=round(now + sign * value, 2) if relative else value)]
    if not sign:
        raise Refuse("faster or slower, or a tempo in BPM?", suggestions=("set the tempo to 100 bpm",))
    change = size(clause, cfg.tempo_change, cfg.small_tempo, cfg.large_tempo)
    return [planner.step("change_tempo", bpm=round(now * (1 + sign * change), 2))]


TONIC = r"([a-g])(#|b|-sharp|-flat| sharp| flat)?"
MODE = r"(major|minor|maj|min)"
KEY_END = r"(?= major| minor| maj| min| key|$| and| , | then)"
"""What may follow a bare key letter, so "in a piano part" is no key of A."""
KEY_AFTER = re.compile(rf"(?<!\S)(?:(?:in|into|to|of|key) (?:the )?(?:key of )?){TONIC}{KEY_END}(?: {MODE})?(?: key)?(?!\S)")
KEY_NAMED = re.compile(rf"(?<!\S)(?<!a ){TONIC} {MODE}(?: key)?(?!\S)")
MODE_ONLY = re.compile(rf"(?<!\S)(?:(?:an?|the) )?{MODE}(?: key| mode| tonality| scale)?(?!\S)")


def _key_text(match: re.Match[str], current: str | None) -> str:
    tonic, accidental, mode = match.group(1), (match.group(2) or "").strip(" -"), match.group(3)
    sign = {"#": "#", "sharp": "#", "b": "b", "flat": "b"}.get(accidental, "")
    if mode is None:
        mode = current.split(":")[1] if current else "major"
    return f"{tonic.upper()}{sign}:{'major' if mode.startswith('maj') else 'minor'}"


def key(clause: Clause, state: State, planner: "Planner") -> list[Step]:
    """"change the key to D minor", "put it in F sharp major", "make it minor"."""
    clause.take_all(r"change|set|switch|put|move|transpose|make|modulate|go|take|bring|shift|turn|the song")
    current = state.song.key
    match = clause.find(KEY_AFTER) or clause.find(KEY_NAMED)
    if match is not None:
        clause.take_span(match.start(), match.end())
        clause.take_all(r"(?:the )?key|to|into|in|drop|raise|lower")
        target = _key_text(match, current)
        if current and target.lower() == current.lower():
            raise Refuse(f"the song is already in {target.replace(':', ' ')}")
        steps = []
        mode = target.split(":")[1]
        if current and not current.endswith(mode):
            steps.append(planner.step("set_mode", mode=mode, tracks=tuple(default_tracks(state.song, drums=False)),
                                      bars=None))
        return steps + [planner.step("change_key", key=target, transpose_notes=True)]
    mode_match = clause.take(MODE_ONLY)
    if mode_match is None and clause.find(rf"{DIRECTION_UP}|{DIRECTION_DOWN}|[+-]?\d+|{INTERVAL.pattern}"):
        return key_shift(clause, state, planner)
    if mode_match is None:
        raise Refuse("which key?", suggestions=("change the key to D minor", "make it major"))
    mode = "major" if mode_match.group(1).startswith("maj") else "minor"
    clause.take_all(r"(?:the )?(?:key|mode|tonality|scale)|to|into|in")
    return mode_steps(mode, clause, state, planner)


def key_shift(clause: Clause, state: State, planner: "Planner") -> list[Step]:
    """"raise the key by a semitone", "move the key down a whole step": every pitched note moves by
    exactly that interval (in the direction said) and the key follows."""
    semitones = take_semitones(clause)
    clause.take_all(r"(?:the )?key|(?:the )?song|by")
    current = state.song.key
    if not current:
        raise Refuse("the song has no key yet, so I cannot move it by an interval",
                     suggestions=("change the key to D minor", "transpose everything up 2 semitones"))
    if semitones % 12 == 0:
        raise Refuse(f"moving by {abs(semitones)} semitones keeps the key {current.replace(':', ' ')}",
                     suggestions=("transpose everything up an octave",))
    tonic, mode = current.split(":")
    pitch = (KEY_NAMES.index(tonic) if tonic in KEY_NAMES else _SHARPS.index(tonic)) + semitones
    names = default_tracks(state.song, drums=False)
    return [planner.step("transpose", tracks=tuple(names), semitones=semitones, bars=None),
            planner.step("change_key", key=f"{KEY_NAMES[pitch % 12]}:{mode}", transpose_notes=False)]


KEY_NAMES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
_SHARPS = ("C", "Db", "D", "D#", "E", "F", "Gb", "G", "G#", "A", "A#", "B")


def mode_steps(mode: str, clause: Clause, state: State, planner: "Planner") -> list[Step]:
    bars = planner.bars(clause, state)
    sel = planner.select(clause, state)
    names = midi_only(named(sel, state, "change"), state.song, "change the mode of", drums=False) \
        if sel.names or sel.missing else default_tracks(state.song, drums=False)
    whole = bars is None and not sel.names
    if whole and state.song.key and state.song.key.endswith(mode):
        raise Refuse(f"the song is already in {state.song.key.replace(':', ' ')}")
    state.last = tuple(names)
    return [planner.step("set_mode", mode=mode, tracks=tuple(names), bars=bars)]


METERS = {"waltz time": "3/4", "waltz": "3/4", "common time": "4/4", "cut time": "2/2", "alla breve": "2/2"}


def meter(clause: Clause, state: State, planner: "Planner") -> list[Step]:
    """"change the time signature to 3/4", "make it 6/8", "switch to waltz time"."""
    clause.take_all(r"change|set|switch|put|make|go|turn|the|time signature|meter|metre|to|in|into|a")
    m = clause.take(rf"(\d+)/(\d+)(?: time)?|{alternatives(METERS)}")
    if m is None:
        raise Refuse("which time signature?", suggestions=("change the time signature to 3/4",))
    text = f"{m[1]}/{m[2]}" if m[1] else METERS[m.group(0).replace("-", " ")]
    num, den = (int(x) for x in text.split("/"))
    if not 1 <= num <= 32 or den not in (1, 2, 4, 8, 16, 32):
        raise Refuse(f"{text} is not a time signature I can use (1-32 beats of 1, 2, 4, 8, 16 or 32)")
    if text == state.song.time_signature:
        raise Refuse(f"the song is already in {text}")
    return [planner.step("change_meter", time_signature=text)]


def length(clause: Clause, state: State, planner: "Planner") -> list[Step]:
    """"make the song 16 bars long", "extend it to 12 bars", "make it 4 bars longer"."""
    bars = state.song.bars
    clause.take_all(r"make|extend|lengthen|shorten|cut|chop|trim|set|change|the length|length|the song|by|down")
    if (m := clause.take(r"(\d+) (?:more |extra )?(?:bars?|measures?) (longer|shorter|more)")) is not None:
        new = bars + int(m[1]) * (-1 if m[2] == "shorter" else 1)
    elif (m := clause.take(r"(?:to |at )?(\d+) (?:bars?|measures?)(?: long| in length)?")) is not None:
        new = int(m[1])
    else:
        raise Refuse("how many bars?", suggestions=("make the song 16 bars long",))
    clause.take_all(r"longer|shorter|long|to|be")
    if new < 1:
        raise Refuse(f"a song needs at least one bar (it has {bars})")
    if new == bars:
        raise Refuse(f"the song is already {bars} bars long")
    return [planner.step("set_length", bars=new)]


MOOD_RE = re.compile(rf"(?<!\S)(?:{alternatives(MOODS)})(?!\S)")


def mood(clause: Clause, state: State, planner: "Planner") -> list[Step]:
    """"make it happier", "sadder in the second half", "calmer", "more energetic" (EmoGen's axes:
    valence -> mode, arousal -> tempo and velocity)."""
    match = clause.take(MOOD_RE)
    assert match is not None
    valence, arousal = MOODS[match.group(0).replace("-", " ")]
    said = match.group(0)
    clause.take_all(r"make|sound|feel|give|put|inject|add|a (?:bit|little)|slightly|more|much|way|the song|a lot")
    bars = planner.bars(clause, state)
    sel = planner.select(clause, state)
    chosen = sel.names if sel.names and not sel.pronoun else []
    pitched = [n for n in chosen if state.song.track(n).pitched] or default_tracks(state.song, drums=False)
    steps: list[Step] = []
    mode = "major" if valence > 0 else "minor"
    whole = bars is None and not chosen
    already = whole and bool(state.song.key) and str(state.song.key).endswith(mode)
    if valence and not already:
        steps.append(planner.step("set_mode", mode=mode, tracks=tuple(pitched), bars=bars))
    if arousal:
        if whole:
            change = 1 + arousal * planner.config.mood_tempo
            steps.append(planner.step("change_tempo", bpm=round(state.song.tempo * change, 2)))
        steps.append(planner.step("velocity", tracks=tuple(chosen or default_tracks(state.song, drums=True)),
                                  bars=bars, change_db=arousal * planner.config.mood_db, shape="level"))
    if not steps:
        raise Refuse(f"the song is already in {state.song.key}; {said} is as far as the mode goes",
                     suggestions=("make it more energetic", "make it calmer"))
    mode_words = _valence(valence) + (" (it is already)" if valence and already else "")
    state.notes.append(f"\"{said}\" as attributes (EmoGen): "
                       + ", ".join(filter(None, (mode_words, _arousal(arousal, tempo=whole)))))
    state.last = tuple(chosen)
    return steps


def _valence(v: int) -> str:
    return "" if not v else "major mode" if v > 0 else "minor mode"


def _arousal(a: int, *, tempo: bool) -> str:
    """What the arousal change does: tempo and velocities for the whole song, else velocities
    only (the tempo is the whole song's)."""
    if not a:
        return ""
    louder = "louder" if a > 0 else "softer"
    return f"{'faster' if a > 0 else 'slower'} and {louder}" if tempo else louder


PAN = r"(hard |slightly |a bit |a little )?(left|right)|(?:the )?(?:center|centre|middle)"


def pan(clause: Clause, state: State, planner: "Planner") -> list[Step]:
    """"pan the keys left", "pan the guitar hard right", "center the bass"."""
    m = clause.take(rf"(?:to the )?(?:{PAN})")
    clause.take_all(r"pan(?:ned)?|move|put|place|center|centre|to|over")
    if m is None:
        raise Refuse("pan left or right?", suggestions=("pan the keys left",))
    amount = 0.0 if m[2] is None else (1.0 if m[1] == "hard " else 0.25 if m[1] else 0.5)
    value = -amount if m[2] == "left" else amount
    names = named(planner.select(clause, state), state, "pan", example="pan the keys left")
    state.last = tuple(names)
    return [planner.step("set_pan", track=n, pan=value) for n in names]


def refuse_with(reason: str, ops: tuple[str, ...] = (), suggestions: tuple[str, ...] = ()):  # type: ignore[no-untyped-def]
    """An intent that always refuses with ``reason``."""
    def handle(clause: Clause, state: State, planner: "Planner") -> list[Step]:
        raise Refuse(reason, ops=ops, suggestions=suggestions)
    return handle
