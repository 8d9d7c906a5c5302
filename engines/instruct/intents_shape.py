"""Intents that reshape what is there: louder/softer/crescendo, transpose, half/double-time,
humanise, quantise."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from engines.instruct.clause import Clause
from engines.instruct.intent_support import LARGE, SMALL, default_tracks, excluded_note, midi_only, named, size
from engines.instruct.lexicon import AMBIGUOUS_INTERVALS, GRIDS, INTERVALS, alternatives
from engines.instruct.plan import Refuse, Step
from engines.instruct.state import State

if TYPE_CHECKING:
    from engines.instruct.planner import Planner

CRESC = r"crescendo|cresc|swell|build(?:s|ing)? up|build|grow|get(?:ting)? louder|gradually louder|ramp up"
DIM = (r"diminuendo|decrescendo|dim|die (?:away|down)|get(?:ting)? (?:softer|quieter)|gradually (?:softer|quieter)"
       r"|taper(?: off)?|ramp down")
FADE = r"fade(?:s|d)? ?(in|out)"
UP = r"louder|loud|up|boost|raise|increase|more volume|stronger|harder|more forceful|fuller|bigger"
DOWN = r"softer|soft|quieter|quiet|down|lower|reduce|decrease|less loud|less volume|weaker|gentler"


def _shape(clause: Clause, cfg_db: float, fade_db: float) -> tuple[str, float] | None:
    if (m := clause.take(FADE)) is not None:
        return ("crescendo" if m.group(1) == "in" else "diminuendo"), fade_db
    if clause.take(CRESC):
        return "crescendo", cfg_db
    if clause.take(DIM):
        return "diminuendo", cfg_db
    return None


def dynamics(clause: Clause, state: State, planner: "Planner") -> list[Step]:
    """"make bars 2-3 louder", "crescendo over the last 4 bars", "turn the bass down 3 dB"."""
    cfg = planner.config
    clause.take_all(r"make|turn|bring|set|get|play|give|have|volume|level|gain|dynamics|overall|in general")
    shaped = _shape(clause, cfg.crescendo_db, cfg.fade_db)
    bars = planner.bars(clause, state)
    explicit = clause.take(r"(?:by )?(\d+(?:\.\d+)?) ?(?:db|decibels?)")
    amount = float(explicit[1]) if explicit else None
    if shaped is None:
        too = clause.take(r"too (loud|quiet|soft)")
        sign = (-1.0 if too[1] == "loud" else 1.0) if too else \
            1.0 if clause.take(UP) else -1.0 if clause.take(DOWN) else 0.0
        if sign == 0.0:
            raise Refuse("louder or softer?", suggestions=("make bars 2-3 louder", "make the bass softer"))
        db = sign * (amount if amount is not None else size(clause, cfg.louder_db, cfg.small_db, cfg.large_db))
        shape = "level"
    else:
        shape, default = shaped
        db = amount if amount is not None else size(clause, default, default / 2, default * 1.5)
    clause.take_all(r"over|across|during|throughout|through|in|on|for|towards|at")
    sel = planner.select(clause, state)
    clause.take(SMALL + "|" + LARGE)
    if sel.missing and not sel.names:
        named(sel, state, "change")
    if sel.names and not (sel.everything and not sel.excluded):
        names = midi_only(sel.names, state.song, "change the level of") if bars is not None or shape != "level" \
            else sel.names
        state.last = tuple(names)
        if bars is None and shape == "level":
            return [planner.step("change_gain", track=n, change_db=db) for n in names]
        return [planner.step("velocity", tracks=tuple(names), bars=bars, change_db=db, shape=shape)]
    if bars is None and shape == "level":
        return [planner.step("change_gain", track=t.name, change_db=db) for t in state.song.tracks]
    return [planner.step("dynamics", bars=bars, change_db=db, shape=shape)]


DIRECTION_UP = r"up|higher|raise|raised|above|sharpen|up by"
DIRECTION_DOWN = r"down|lower|lowered|drop|dropped|below|flatten|down by"
INTERVAL = re.compile(rf"(?<!\S)(?:by )?(\d+|an?) ({alternatives(INTERVALS)})(?!\S)")
AMBIGUOUS = re.compile(rf"(?<!\S)(?:by )?(?:\d+|an?) ({alternatives(AMBIGUOUS_INTERVALS)})(?!\S)")


def take_semitones(clause: Clause) -> int:
    """The signed amount of a transposition; refusals for a missing or ambiguous one."""
    if (m := clause.find(AMBIGUOUS)) is not None:
        low, high = AMBIGUOUS_INTERVALS[m.group(1)]
        raise Refuse(f"a \"{m.group(1)}\" can be a {low} ({INTERVALS.get(low, 0) or _size(low)} semitones) "
                     f"or a {high} ({_size(high)}); say which",
                     suggestions=(f"transpose the lead up a {high}",))
    signed = clause.take(r"(?:by )?([+-]\d+)(?: semitones?| half[- ]?steps?)?")
    up, down = clause.take(DIRECTION_UP), clause.take(DIRECTION_DOWN)
    if signed:
        return int(signed[1])
    m = clause.find(INTERVAL)
    if m is not None:
        clause.take_span(m.start(), m.end())
        count = 1 if m.group(1) in ("a", "an") else int(m.group(1))
        amount = count * INTERVALS[m.group(2).replace("-", " ")]
    elif (bare := clause.take(r"(?:by )?(\d+)")) is not None:
        amount = int(bare[1])
    else:
        raise Refuse("by how much? Say semitones, a whole step, a fifth or an octave",
                     suggestions=("transpose the lead up an octave", "transpose everything down 2 semitones"))
    if down and not up:
        return -amount
    if up or (m is None and "by" in clause.words) or (m is not None and m.group(0).startswith("by")):
        return amount
    raise Refuse("up or down?", suggestions=("transpose the bass up an octave", "transpose the bass down an octave"))


def _size(name: str) -> int:
    return INTERVALS[name]


def transpose(clause: Clause, state: State, planner: "Planner") -> list[Step]:
    """"transpose the lead up an octave", "drop the bass an octave", "everything down a whole step"."""
    clause.take(r"transpose|pitch(?: shift)?|shift|move|put|take|bring|make|play|it's|its")
    bars = planner.bars(clause, state)
    semitones = take_semitones(clause)
    if semitones == 0:
        raise Refuse("transposing by 0 semitones changes nothing")
    sel = planner.select(clause, state)
    if sel.missing and not sel.names:
        named(sel, state, "transpose")
    explicit = bool(sel.names) and not sel.everything
    names = midi_only(sel.names, state.song, "transpose", drums=False) if explicit else \
        default_tracks(state.song, drums=False) if not sel.excluded else \
        [n for n in sel.names if state.song.track(n).pitched]
    if not names:
        raise Refuse("there is no pitched MIDI track to transpose", ops=("add_track",))
    if not explicit and (note := excluded_note(state.song, names, "drums and audio are not transposed")):
        state.notes.append(note)
    state.last = tuple(names)
    return [planner.step("transpose", tracks=tuple(names), semitones=semitones, bars=bars)]


def _tracks_or(clause: Clause, state: State, planner: "Planner", default: list[str], verb: str) -> list[str]:
    sel = planner.select(clause, state)
    if sel.missing and not sel.names:
        named(sel, state, verb)
    if sel.everything:
        sel.names = [n for n in sel.names if state.song.track(n).kind == "midi"]
    names = midi_only(sel.names, state.song, verb) if sel.names else default
    if not names:
        raise Refuse(f"there is no MIDI track to {verb}", ops=("add_track",))
    state.last = tuple(names)
    return names


def feel(clause: Clause, state: State, planner: "Planner") -> list[Step]:
    """"half-time feel on the drums", "play the last 4 bars double-time"."""
    m = clause.take(r"(half|double)[ -]?time(?: feel| groove)?")
    which = m.group(1) if m else "half"
    bars = planner.bars(clause, state)
    clause.take_all(r"give|make|play|put|switch|go|feel|groove|into|to|in|with|on|for")
    drums = [t.name for t in state.song.tracks if t.kind == "midi" and t.is_drum]
    names = _tracks_or(clause, state, planner, drums or default_tracks(state.song, drums=True), f"play {which}-time")
    return [planner.step("feel", feel=which, tracks=tuple(names), bars=bars)]


def humanise(clause: Clause, state: State, planner: "Planner") -> list[Step]:
    """"humanise the drums", "loosen up the timing a bit", "make the keys less robotic"."""
    amount = size(clause, planner.config.humanise_amount, planner.config.humanise_amount / 2,
                  planner.config.humanise_amount * 2)
    clause.take_all(r"humani[sz]e|loosen(?: up)?|less robotic|less mechanical|less stiff|more human"
                    r"|more natural|more organic|looser|sloppier|make|the timing|timing|feel|sound|play")
    bars = planner.bars(clause, state)
    names = _tracks_or(clause, state, planner, default_tracks(state.song, drums=True), "humanise")
    timing = planner.default("humanise", "timing_ms", planner.config.humanise_timing_ms)
    velocity = planner.default("humanise", "velocity", planner.config.humanise_velocity)
    return [planner.step("humanise", tracks=tuple(names), bars=bars, timing_ms=round(timing * amount, 2),
                         velocity=int(round(velocity * amount)))]


def quantise(clause: Clause, state: State, planner: "Planner") -> list[Step]:
    """"quantise the bass to 16ths", "tighten up the drums", "snap the keys to the grid"."""
    strength = 0.5 if clause.take(SMALL) else 1.0
    clause.take_all(r"quanti[sz]e|tighten(?: up)?|snap|straighten(?: out)?|fix the timing|make|tighter|fix"
                    r"|(?:on|to) the grid|grid|timing")
    grid = planner.config.quantise_grid
    if (m := clause.take(rf"(?:to |on )?(?:the )?({alternatives(GRIDS)})")) is not None:
        grid = GRIDS[m.group(1).replace("-", " ")]
    strength = 0.5 if clause.take(SMALL) else strength
    bars = planner.bars(clause, state)
    names = _tracks_or(clause, state, planner, default_tracks(state.song, drums=True), "quantise")
    return [planner.step("quantise", tracks=tuple(names), bars=bars, grid=grid, strength=strength)]
