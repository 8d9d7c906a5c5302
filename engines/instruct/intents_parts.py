"""Intents about whole parts: add, remove, mute/solo, change instrument, regenerate.

Each takes the words it understands from the clause and returns steps; see
``grammar`` for the words that send a clause here.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from engines.instruct.clause import Clause
from engines.instruct.intent_support import STYLE, default_tracks, midi_only, named, take_style, track_list
from engines.instruct.lexicon import (DEFAULT_PROGRAM, INSTRUMENTS, ROLE_NAMES, ROLE_WORDS, STYLE_ROLES,
                                      alternatives)
from engines.instruct.plan import Refuse, Step
from engines.instruct.state import State

if TYPE_CHECKING:
    from engines.instruct.planner import Planner

ADD_VERBS = (r"add|adding|give me|give it|put in|put|bring in|layer|create|insert|write|compose|generate"
             r"|throw in|include|we need|i need|i want|i'd like|let's have|have")
ROLE_TO_WORD = {w: role for role, words in ROLE_WORDS.items() for w in words}
NOUN = re.compile(rf"(?<!\S)(?:{alternatives(list(INSTRUMENTS) + list(ROLE_TO_WORD) + list(STYLE_ROLES))})(?!\S)")
EMPTY_TRACK = r"(?:an? )?(?:empty |new |blank )?(?:midi )?track"


@dataclass
class Part:
    """A part to add: what the words said about it."""

    role: str | None = None
    role_said: bool = False
    """The role was named by a role word ("bass line"), not inferred from an instrument or a style."""
    role_from_style: bool = False
    program: int | None = None
    instrument: str = ""
    style: list[str] = field(default_factory=list)


def _parts(clause: Clause) -> list[Part]:
    """Parts named in the clause's words, in order ("bass and drums", "a flute melody")."""
    parts: list[Part] = []
    pending: list[str] = []
    while True:
        noun, style = clause.find(NOUN), clause.find(STYLE)
        hit = min((m for m in (noun, style) if m is not None), key=lambda m: m.start(), default=None)
        if hit is None:
            break
        clause.take_span(hit.start(), hit.end())
        word = hit.group(0).replace("-", " ")
        if hit is style and word not in STYLE_ROLES:
            (parts[-1].style if parts and not pending and _complete(parts[-1]) else pending).append(word)
            continue
        part = parts[-1] if parts and _fits(parts[-1], word) else None
        if part is None:
            part = Part()
            parts.append(part)
        part.style += pending
        pending = []
        _fill(part, word)
    if pending and parts:
        parts[-1].style += pending
    elif pending:
        raise Refuse(f"what kind of part should be {' '.join(pending)}?",
                     suggestions=(f"add a {' '.join(pending)} bass line", f"add {' '.join(pending)} drums"))
    return parts


def _complete(part: Part) -> bool:
    return part.role is not None


def _fits(part: Part, word: str) -> bool:
    """Whether ``word`` still describes ``part`` (an instrument after a role, or the reverse)."""
    if word in INSTRUMENTS:
        return part.program is None and part.role != "drums"
    role = STYLE_ROLES.get(word) or ROLE_TO_WORD[word]
    if word in STYLE_ROLES and part.role == role:
        return True  # "a drum fill", "drums with a shuffle": one part
    if part.role_said:
        return False
    return part.role is None or not part.role_from_style or part.role == role


def _fill(part: Part, word: str) -> None:
    if word in INSTRUMENTS:
        part.program, usual = INSTRUMENTS[word]
        part.instrument = word
        part.role = part.role or usual
    elif word in STYLE_ROLES:
        if part.role != STYLE_ROLES[word]:
            part.role, part.role_from_style = STYLE_ROLES[word], True
        part.style.append(word)
    else:
        part.role, part.role_said = ROLE_TO_WORD[word], True


def add(clause: Clause, state: State, planner: "Planner") -> list[Step]:
    clause.take(ADD_VERBS)
    more = clause.take(r"^(?:_ )*(\d+) (?:more |extra |new |empty )?(?:bars?|measures?)(?: (?:at|to) the end)?")
    if more:
        return [planner.step("set_length", bars=state.song.bars + int(more[1]))]
    clause.take_all(r"another|one more|a second|an extra|extra|additional|some more|more")
    bars = planner.bars(clause, state, extend=True)
    clause.take(r"(?:to|for|under|over|behind|against|around|alongside|with|beneath|below|on top of)"
                r" (?:the )?(?:song|it|this|everything|the (?:whole )?band|all (?:the )?(?:tracks|parts))")
    _take_context(clause, state)
    if clause.take(EMPTY_TRACK) and not clause.find(NOUN):
        name = state.song.unique_name("MIDI")
        state.last = (name,)
        return [planner.step("add_track", name=name, role="other", program=0, drums=False)]
    parts = _parts(clause)
    if not parts:
        raise Refuse("what should I add? Name a part or an instrument",
                     suggestions=("add a bass line in bars 1-4", "add strings in the second half", "add drums"))
    steps: list[Step] = []
    if bars is not None and bars[1] > state.song.bars:
        steps.append(planner.step("set_length", bars=bars[1]))
    names: list[str] = []
    for part in parts:
        role = part.role or "other"
        base = part.instrument.title() if part.instrument else ROLE_NAMES[role]
        name = state.song.unique_name(base, tuple(names))
        names.append(name)
        drums = role == "drums"
        program = 0 if drums else part.program if part.program is not None else DEFAULT_PROGRAM[role]
        steps.append(planner.step("add_track", name=name, role=role, program=program, drums=drums))
    style = " ".join(w for p in parts for w in p.style)
    steps.append(write_step(planner, state, tuple(names), bars, style,
                            drums=any(p.role == "drums" for p in parts)))
    state.last = tuple(names)
    return steps


CONTEXT = r"(?:to|for|under|over|behind|beneath|below|above|alongside|against|around|doubling|with|on top of)"


def _take_context(clause: Clause, state: State) -> None:
    """Take "under the lead", "to the bass": the composer hears every track anyway."""
    from engines.instruct.tracks import match_phrase

    for track in state.song.tracks:
        for phrase in {track.name.lower(), track.role}:
            words = re.sub(r"[^a-z0-9#]+", " ", phrase).strip()
            if words and match_phrase(words, state.song):
                clause.take(rf"{CONTEXT} (?:the )?{re.escape(words)}(?: track| part)?")


def write_step(planner: "Planner", state: State, names: tuple[str, ...], bars: tuple[int, int] | None,
               style: str, *, drums: bool) -> Step:
    """The step that writes notes into ``names``: generate when it is here, else infill."""
    if planner.can("generate"):
        return planner.step("generate", tracks=names, bars=bars, prompt=style)
    if drums and not planner.can("infill", "no_drums"):
        raise Refuse("writing a drum part needs the generate engine or a composer that writes drums, "
                     "and neither is installed here", ops=("add_track", "infill"))
    if style:
        state.notes.append(f"\"{style}\" is not used: the composer takes no style words")
    return planner.step("infill", tracks=names, bars=bars)


REMOVE_VERBS = (r"remove|delete|drop|get rid of|take out|take away|take (?:\S+ ){1,3}out(?: of)?|leave out"
                r"|leave (?:\S+ ){1,3}out(?: of)?|kill|lose|ditch|scrap|cut out|cut|clear out|clear|erase|eliminate"
                r"|strip out|strip|pull out|throw out|no more")


def remove(clause: Clause, state: State, planner: "Planner") -> list[Step]:
    clause.take(r"remove|delete|drop|get rid of|take|leave|kill|lose|ditch|scrap|cut|clear|erase|eliminate"
                r"|strip|pull|throw|no more")
    bars = planner.bars(clause, state)
    clause.take(r"(?:the )?notes? (?:of|from|in)|(?:from|out of) the (?:song|mix|arrangement)")
    clause.take_all(r"out of|out|away|from|of")
    sel = planner.select(clause, state, partial=True)
    audio = [n for n in sel.names if state.song.track(n).kind == "audio"]
    if sel.missing and (not sel.names or (audio == sel.names and len(audio) == 1)):
        from engines.instruct.intents_audio import remove_stems

        if bars is not None:
            raise Refuse("taking a stem out of audio works on the whole track, not on bars",
                         suggestions=(f"remove the {sel.missing[0]}", "remove the drums in bars 5-8"))
        return remove_stems(clause, state, planner, sel.missing, audio[0] if audio else None)
    names = named(sel, state, "remove", example="remove the drums")
    state.last = tuple(names)
    if bars is not None:
        return [planner.step("clear_notes", tracks=tuple(midi_only(names, state.song, "clear bars of")),
                             bars=bars)]
    return [planner.step("remove_track", track=n) for n in names]


def mute(clause: Clause, state: State, planner: "Planner") -> list[Step]:
    muted = not (clause.take(r"un-?mute|turn (?:back )?on|switch (?:back )?on|bring back|unsilence")
                 or clause.find(r"(?:turn|switch) (?:\S+ ){1,3}(?:back )?on|bring (?:\S+ ){1,3}back(?: in)?"))
    if muted:
        clause.take(r"mute|silence|turn off|switch off|shut off")
    clause.take_all(r"turn|switch|bring|back|on|off|in")
    if planner.bars(clause, state) is not None:
        raise Refuse("mute and unmute work on whole tracks, not on bars",
                     suggestions=("remove the drums in bars 5-8",))
    sel = planner.select(clause, state)
    if not muted and not sel.names and not sel.found:
        sel.names = [t.name for t in state.song.tracks if t.muted]
    names = named(sel, state, "mute" if muted else "unmute", example="mute everything except the bass")
    state.last = tuple(names)
    steps = [planner.step("mute", track=n, muted=muted) for n in names
             if state.song.track(n).muted != muted]
    if not steps:
        raise Refuse(f"{', '.join(names)} {'is' if len(names) == 1 else 'are'} already "
                     f"{'muted' if muted else 'playing'}")
    return steps


def solo(clause: Clause, state: State, planner: "Planner") -> list[Step]:
    on = not clause.take(r"un-?solo|stop soloing")
    only = bool(clause.take(r"(?:play|hear|listen to|keep)? ?(?:only|just)"))
    clause.take(r"solo|soloing|isolate|on its own|by itself|alone")
    sel = planner.select(clause, state)
    if not on and not sel.names and not sel.found:
        sel.names = [t.name for t in state.song.tracks if t.solo]
    names = named(sel, state, "solo" if on else "unsolo", example="solo the lead")
    state.last = tuple(names)
    steps = [planner.step("solo", track=n, solo=on) for n in names if state.song.track(n).solo != on]
    if only:
        steps += [planner.step("solo", track=t.name, solo=False) for t in state.song.tracks
                  if t.solo and t.name not in names]
    if not steps:
        raise Refuse(f"{', '.join(names)} {'is' if len(names) == 1 else 'are'} already "
                     f"{'soloed' if on else 'not soloed'}")
    return steps


TARGET = re.compile(rf"(?<!\S)(?:(?:to|into|on|with|as|for|by) (?:a |an |the |some )?|(?:a|an|some) )"
                    rf"({alternatives(INSTRUMENTS)})(?: instead| sound| patch)?(?!\S)")


def instrument(clause: Clause, state: State, planner: "Planner") -> list[Step]:
    """"play the lead on a violin", "make the keys an organ"; with no track named, "put a
    piano in bars 1-2" adds one."""
    trial = clause.fork()
    found = list(TARGET.finditer(trial.view()))
    if found:
        trial.take_span(found[-1].start(), found[-1].end())
    if not found or not planner.select(trial, state).found:
        return add(clause, state, planner)
    target = found[-1]
    clause.take_span(target.start(), target.end())
    program = INSTRUMENTS[target.group(1).replace("-", " ")][0]
    clause.take_all(r"change|switch|swap|turn|make|set|play|use|replace|give|put|sound like|sound"
                    r"|(?:the |its )?(?:instrument|sound|patch)")
    sel = planner.select(clause, state)
    names = midi_only(named(sel, state, "change", example="play the lead on a violin"), state.song,
                      "change the instrument of", drums=False)
    state.last = tuple(names)
    return [planner.step("set_instrument", track=n, program=program) for n in names]


REGENERATE_VERBS = (r"regenerate|re-generate|rewrite|re-write|redo|re-do|infill|fill in|fill|reimagine"
                    r"|re-?compose|vary|re-?harmoni[sz]e|come up with|try|write|give|replace|change|make"
                    r"|generate|rework|improve|redraw|refresh|new version of|(?:a )?variation of")


def regenerate(clause: Clause, state: State, planner: "Planner") -> list[Step]:
    clause.take_all(r"(?:something|anything) (?:else|different)|(?:a |an )?(?:new|different|fresh|another|other)"
                    r"(?: version of| take on| one)?|the notes of|notes|(?:some )?variations?|(?:some )?variety")
    clause.take(REGENERATE_VERBS)
    bars = planner.bars(clause, state)
    style = take_style(clause)
    clause.take(r"as|with|into|in (?:the )?style")
    sel = planner.select(clause, state)
    if sel.missing and not sel.names:
        raise Refuse(f"there is no {sel.missing[0]} track to rewrite (tracks: {track_list(state.song)})",
                     suggestions=(f"add a {sel.missing[0]} in bars 1-4",))
    drums_ok = planner.can("generate") or planner.can("infill", "no_drums")
    names = sel.names or default_tracks(state.song, drums=drums_ok)
    names = midi_only(names, state.song, "rewrite", drums=drums_ok or not sel.names)
    if not sel.names and not drums_ok and any(state.song.track(n).is_drum for n in default_tracks(state.song, drums=True)):
        state.notes.append("drum tracks are not rewritten: the composer here does not write drums")
    if not names:
        raise Refuse("there is no MIDI track to rewrite", ops=("add_track",))
    state.last = tuple(names)
    if planner.can("generate") and style:
        return [planner.step("generate", tracks=tuple(names), bars=bars, prompt=style)]
    if style:
        state.notes.append(f"\"{style}\" is not used: the composer takes no style words")
    return [planner.step("infill", tracks=tuple(names), bars=bars)]
