"""The operations a plan can hold, with an example instruction for each and the words
that point at it (to suggest the closest ones when an instruction is refused).

The vocabulary (from the app's operation catalogue) says which of these exist
here and their parameter ranges; this module is only about words.
"""
from __future__ import annotations

from typing import Callable, Iterable

from engines.instruct.vocabulary import OperationSpec

OPERATIONS: dict[str, tuple[str, ...]] = {
    # operation -> the arguments the planner gives it
    "add_track": ("name", "role", "program", "drums"),
    "remove_track": ("track",),
    "clear_notes": ("tracks", "bars"),
    "mute": ("track", "muted"),
    "solo": ("track", "solo"),
    "set_instrument": ("track", "program"),
    "change_gain": ("track", "change_db"),
    "velocity": ("tracks", "bars", "change_db", "shape"),
    "dynamics": ("bars", "change_db", "shape"),
    "transpose": ("tracks", "semitones", "bars"),
    "change_tempo": ("bpm",),
    "change_key": ("key", "transpose_notes"),
    "set_mode": ("mode", "tracks", "bars"),
    "change_meter": ("time_signature",),
    "set_length": ("bars",),
    "feel": ("feel", "tracks", "bars"),
    "humanise": ("tracks", "bars", "timing_ms", "velocity"),
    "quantise": ("tracks", "bars", "grid", "strength"),
    "infill": ("tracks", "bars"),
    "generate": ("tracks", "bars", "prompt"),
    "separate": ("track", "stems", "names", "mute_source", "mute_stems"),
    "transcribe": ("track", "kind", "name", "role"),
    "copy_controls": ("track", "file", "curves"),
    "set_pan": ("track", "pan"),
}
"""Every operation the planner can put in a plan, with its argument names."""

EXAMPLES: dict[str, str] = {
    "add_track": "add a bass line in bars 1-4",
    "generate": "add a walking bass in bars 1-4",
    "infill": "regenerate the bass in bars 5-8",
    "remove_track": "remove the drums",
    "clear_notes": "remove the drums in bars 5-8",
    "mute": "mute everything except the bass",
    "solo": "solo the lead",
    "set_instrument": "play the lead on a violin",
    "change_gain": "turn the bass up",
    "velocity": "make the drums softer in bars 1-2",
    "dynamics": "make bars 2-3 louder",
    "transpose": "transpose the lead up an octave",
    "change_tempo": "set the tempo to 100 bpm",
    "change_key": "change the key to D minor",
    "set_mode": "make it major",
    "change_meter": "change the time signature to 3/4",
    "set_length": "make the song 16 bars long",
    "feel": "give the drums a half-time feel",
    "humanise": "humanise the drums",
    "quantise": "quantise the bass to 16ths",
    "separate": "extract the vocals",
    "transcribe": "transcribe the guitar to MIDI",
    "copy_controls": "copy the dynamics of the guitar",
    "set_pan": "pan the keys left",
}
"""One instruction per operation that the planner turns into it (tests check they plan)."""

KEYWORDS: dict[str, frozenset[str]] = {op: frozenset(words.split()) for op, words in {
    "add_track": "add new part track line instrument write create bring layer more another",
    "generate": "generate style compose create new part band arrangement",
    "infill": "regenerate rewrite redo fill infill vary variation different another notes melody",
    "remove_track": "remove delete drop lose kill track part rid without",
    "clear_notes": "clear erase silence cut notes bars empty",
    "mute": "mute silence off hear quiet except",
    "solo": "solo only alone just isolate listen",
    "set_instrument": "instrument sound sounds patch program timbre violin piano guitar synth",
    "change_gain": "volume gain fader level mix balance louder softer quieter",
    "velocity": "velocity accent accents hit harder softer notes",
    "dynamics": "louder softer quieter dynamics crescendo diminuendo fade swell volume loud quiet level",
    "transpose": "transpose pitch higher lower octave semitone up down key register tune",
    "change_tempo": "tempo bpm faster slower speed pace quicker",
    "change_key": "key tonality major minor transpose",
    "set_mode": "major minor mode happy sad brighter darker",
    "change_meter": "meter time signature waltz 3/4 6/8 beats",
    "set_length": "length longer shorter extend bars long",
    "feel": "feel half double time groove laid back",
    "humanise": "humanise humanize human natural loose robotic mechanical swing feel",
    "quantise": "quantise quantize tight tighten grid timing snap straight",
    "separate": "extract separate stems vocals split isolate unmix acapella instrumental",
    "transcribe": "transcribe midi notes score sheet convert",
    "copy_controls": "copy borrow match reference follow contour curve curves",
    "set_pan": "pan left right stereo center centre side",
}.items()}

def every_operation(*, unavailable: dict[str, str] | None = None) -> tuple[OperationSpec, ...]:
    """A spec for every operation the planner knows, without ranges (for tests and tools);
    ``unavailable``: operation -> the reason it cannot run here."""
    gone = unavailable or {}
    return tuple(OperationSpec(op, op.replace("_", " ").capitalize(), available=op not in gone,
                               unavailable_reason=gone.get(op, "")) for op in OPERATIONS)


DEFAULT_SUGGESTIONS = ("add_track", "remove_track", "dynamics", "transpose")


def examples_for(ops: Iterable[str], available: Callable[[str], bool] = lambda op: True) -> tuple[str, ...]:
    """Example instructions of the available operations among ``ops``."""
    return tuple(EXAMPLES[op] for op in ops if op in EXAMPLES and available(op))


def closest_examples(words: Iterable[str], available: Callable[[str], bool] = lambda op: True,
                     *, count: int = 3) -> tuple[str, ...]:
    """Examples of the operations whose keywords share most words with ``words``."""
    said = set(words)
    scored = sorted(((len(said & keys), op) for op, keys in KEYWORDS.items() if available(op)),
                    key=lambda pair: -pair[0])
    best = [op for score, op in scored if score > 0][:count]
    return examples_for(best or DEFAULT_SUGGESTIONS, available)
