"""Which intent a clause is: trigger words, tried in order (the more specific first).

A clause goes to the first intent whose trigger it contains; the intent
then takes the words it understands (``intents_*``). Refusing intents come
first so that "add reverb" is refused, not read as "add a part".
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from engines.instruct import intents_audio as audio
from engines.instruct import intents_parts as parts
from engines.instruct import intents_shape as shape
from engines.instruct import intents_song as song
from engines.instruct.intent_support import Handler
from engines.instruct.lexicon import INSTRUMENTS, MOODS, ROLE_WORDS, STYLE_WORDS, alternatives


@dataclass(frozen=True)
class Intent:
    """``trigger``: words that send a clause here. ``related``: operations to suggest when
    a clause sent here cannot be planned."""

    name: str
    trigger: re.Pattern[str]
    handle: Handler
    related: tuple[str, ...] = ()


def _w(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\S)(?:{pattern})(?!\S)")


INSTRUMENT = alternatives(INSTRUMENTS)
EFFECTS = (r"reverb|reverbs|delay|echo|echoes|compress|compression|compressor|eq|equali[sz]e|equali[sz]er"
           r"|auto-?tune|pitch correction|distortion(?! guitar)|overdrive|phaser|flanger|chorus effect|sidechain"
           r"|limiter|saturation|bitcrush\w*|filter|low-?pass|high-?pass|master|mastering|stereo width|widen"
           r"|tremolo effect|wah|vocoder")

INTENTS: tuple[Intent, ...] = (
    Intent("undo", _w(r"undo|take (?:that|it) back|go back|revert|redo that|redo it"), song.refuse_with(
        "undo is Ctrl+Z in the window (Edit ▸ Undo); a whole instruction is one undo step")),
    Intent("question", re.compile(r"^(?:what|which|why|where|when|who|how|is|are|does|do|did)(?:'s)?\s(?!not\b)"),
           song.refuse_with("I carry out edits; I don't answer questions (the window's transport "
                            "and `partita info` show the tempo, key, meter and tracks)",
                            ops=("change_tempo", "change_key"))),
    Intent("effects", _w(EFFECTS), song.refuse_with(
        "Partita has no audio effects (reverb, delay, EQ, compression...); add them in your DAW after export",
        ops=("dynamics", "change_gain", "set_instrument"))),
    Intent("files", _w(r"export|save|render|bounce|print|mp3|download|upload|open|load"), song.refuse_with(
        "that is a file operation, not an edit: use File ▸ Export / Save, or `partita export`",
        ops=("remove_track", "mute"))),
    Intent("voice", _w(r"lyrics|lyric|sing|singing|rap|rapping|add (?:some |a )?(?:vocals|vocal|singer|voice|choir vocals)"
                       r"|words"), song.refuse_with(
        "Partita writes and plays notes; it cannot sing or write lyrics",
        suggestions=("add a melody on a flute in bars 1-4", "extract the vocals"))),
    Intent("copy", _w(r"(?:copy|borrow|take|steal|use|match|follow|extract|get|apply|grab|transfer|read|lift)"
                      r" (?:\S+ ){0,3}(?:melody|tune|contour|dynamics|loudness|rhythm|groove|timing|controls|curves)"
                      r"(?: curves?| lanes?| controls?)? (?:of|from|off|in|out of)"), audio.copy_controls,
           ("copy_controls",)),
    Intent("transcribe", _w(r"transcribe|transcription|(?:in)?to (?:a )?(?:midi|notes)|as (?:a )?(?:midi|notes)"),
           audio.transcribe, ("transcribe",)),
    Intent("separate", _w(r"extract|separate|separation|split|isolate|unmix|de-?mix|pull out|stems|a ?cappella"
                          r"|acapella|instrumental|karaoke"), audio.separate, ("separate",)),
    Intent("feel", _w(r"(?:half|double)[ -]?time"), shape.feel, ("feel",)),
    Intent("length", _w(r"\d+ (?:bars?|measures?) (?:long|longer|shorter|in length)|extend|lengthen|shorten"
                        r"|(?:make|set|change) (?:the |its )?length|trim"
                        r"|(?:cut|chop) (?:\S+ ){0,3}(?:down )?to \d+ (?:bars?|measures?)"), song.length,
           ("set_length",)),
    Intent("meter", _w(r"time signature|meter|metre|\d+/\d+|waltz time|common time|cut time|alla breve"),
           song.meter, ("change_meter",)),
    Intent("tempo", _w(r"tempo|bpm|faster|slower|speed (?:it |things )?up|slow (?:it |things )?down|quicker"
                       r"|slow (?:it|things)(?= to)"
                       r"|pace|twice as fast|half as fast|speed|too (?:fast|slow)"), song.tempo, ("change_tempo",)),
    Intent("key", _w(r"key|modulate|tonality|(?:major|minor)(?! (?:2nd|3rd|6th|7th))|mode"
                     rf"|(?:to|into|in) [a-g](?:#|b)?(?: sharp| flat)?{song.KEY_END}"), song.key,
           ("change_key", "set_mode")),
    Intent("mood", _w(alternatives(MOODS)), song.mood, ("set_mode", "change_tempo", "velocity")),
    Intent("transpose", _w(r"transpose|transposed|pitch (?:up|down|shift)|octaves?|semitones?|half[ -]?steps?"
                           r"|whole[ -]?steps?|(?:half|whole)[ -]?tones?|(?:up|down) (?:a |an |\d+ )?(?:step|tone|5th"
                           r"|4th|3rd|2nd|6th|7th|tritone|minor|major|perfect)|[+-]\d+"
                           r"|(?:an?|\d+) (?:perfect |minor |major |augmented |diminished )?(?:5th|4th|3rd|2nd|6th|7th)"
                           r"|tritone|(?:raise|lower) (?:\S+ ){1,3}by \d+"
                           r"|(?:shift|move|transpose) (?:\S+ ){0,3}(?:up|down)(?: by)? \d+"), shape.transpose,
           ("transpose",)),
    Intent("quantise", _w(r"quanti[sz]e|quanti[sz]ed|tighten|snap|straighten|fix the timing|(?:on|to) the grid"
                          r"|tighter"), shape.quantise, ("quantise",)),
    Intent("humanise", _w(r"humani[sz]e|loosen|less robotic|less mechanical|less stiff|more human|more natural"
                          r"|more organic|looser|sloppier"), shape.humanise, ("humanise",)),
    Intent("dynamics", _w(rf"louder|softer|quieter|{shape.CRESC}|{shape.DIM}|fade(?:s|d)? ?(?:in|out)|volume"
                          r"|turn (?:\S+ ){0,3}(?:up|down)|boost|bring (?:\S+ ){0,3}(?:up|down)|\d+ ?db|gain"
                          r"|less loud|more quiet|too (?:loud|quiet|soft)"), shape.dynamics,
           ("dynamics", "change_gain", "velocity")),
    Intent("pan", _w(r"pan|panned|center|centre"), song.pan, ("set_pan",)),
    Intent("mute", _w(r"un-?mute|mute|muted|silence|turn (?:\S+ ){0,3}(?:off|on)|switch (?:\S+ ){0,3}(?:off|on)"
                      r"|bring back|bring (?:\S+ ){1,3}back(?: in)?|shut off"), parts.mute, ("mute", "solo")),
    Intent("solo", _w(r"un-?solo|solo|soloing|(?:play|hear|listen to|keep) (?:only|just)|only|just the"
                      r"|on its own|by itself"), parts.solo, ("solo",)),
    Intent("instrument", _w(rf"(?:change|switch|swap|turn|make|set|play|use|replace|give|put|sound like|sound)"
                            rf"(?: \S+){{0,5}} (?:to |into |on |with |as |for |by )?(?:a |an |the |some )?"
                            rf"(?:{INSTRUMENT})"), parts.instrument, ("set_instrument",)),
    Intent("remove", _w(parts.REMOVE_VERBS), parts.remove, ("remove_track", "clear_notes", "mute")),
    Intent("regenerate", _w(r"regenerate|re-generate|rewrite|re-write|redo|re-do|infill|fill in|fill|reimagine"
                            r"|re-?compose|vary|re-?harmoni[sz]e|come up with|rework|redraw|refresh"
                            r"|(?:try|write|give|make|generate|change) (?:\S+ ){0,3}(?:new|different|fresh|another)"
                            r"|something (?:else|different)|variation|replace"), parts.regenerate,
           ("infill", "generate")),
    Intent("add", _w(parts.ADD_VERBS), parts.add, ("add_track", "generate", "infill")),
    Intent("imitate", _w(r"sound like|in the style of|like (?:the )?\S+ (?:would|does)"), song.refuse_with(
        "I can't imitate a named artist or song; describe the part instead",
        suggestions=("add a funky bass line", "make it more energetic"))),
    Intent("vague", _w(r"better|improve|fix|nicer|cooler|more interesting|spice|worse|good|great|awesome|pro"),
           song.refuse_with("that doesn't say what to change",
                            ops=("add_track", "dynamics", "transpose", "infill"))),
)

REFUSING = ("undo", "question", "effects", "files", "voice")
"""Intents that only refuse; they win over everything else."""

VERB_INTENTS = {
    "add": "add", "layer": "add", "insert": "add", "compose": "add", "create": "add",
    "remove": "remove", "delete": "remove", "mute": "mute", "unmute": "mute", "silence": "mute",
    "solo": "solo", "unsolo": "solo", "separate": "separate", "split": "separate", "isolate": "separate",
    "transcribe": "transcribe", "quantise": "quantise", "quantize": "quantise", "humanise": "humanise",
    "humanize": "humanise", "regenerate": "regenerate", "rewrite": "regenerate", "infill": "regenerate",
    "pan": "pan", "copy": "copy", "borrow": "copy",
}
"""A clause that starts with one of these verbs is that intent, whatever else it says
("add a harmonica solo" adds a part; it does not solo anything)."""

VERBS = frozenset("""
add remove delete drop mute unmute solo unsolo transpose make change set switch extract separate split
isolate transcribe convert regenerate rewrite redo infill fill turn put give bring copy borrow take use
double halve speed slow raise lower move shift pitch fade quantise quantize humanise humanize tighten
loosen clear kill get try replace play keep let write compose generate create insert layer pull crescendo
boost cut lose ditch scrap swap shorten extend lengthen vary reimagine pan center centre silence erase
""".split())
"""Words that start a new clause after "and"/"then"/a comma."""

KNOWN_WORDS = frozenset(VERBS | set(STYLE_WORDS) | {w for ws in ROLE_WORDS.values() for w in ws} | set("""
bar bars measure measures last first half second end start beginning whole song track tracks part parts
up down louder softer quieter higher lower octave octaves semitone semitones step steps tone tones key major
minor tempo faster slower everything except all other others rest only just more less much bit little
""".split()))
"""Grammar words that must never be read as a typo of a track name ("bars" is not "bass")."""

_FILLER_START = re.compile(r"^(?:(?:please|then|also|and|now|next|finally|so|ok|okay|just|can you|could you"
                           r"|would you|i want you to|i'd like you to|let's|lets) )+")


def starts_with_verb(chunk: str) -> bool:
    """Whether a piece after a separator begins a clause of its own ("add …", "then mute …")."""
    words = _FILLER_START.sub("", chunk).split()
    return bool(words) and words[0] in VERBS


def intent_of(text: str) -> Intent | None:
    """The clause's intent: a refusing one if triggered, else its leading verb's, else the
    first whose trigger it contains (None: no intent at all)."""
    by_name = {intent.name: intent for intent in INTENTS}
    for name in REFUSING:
        if by_name[name].trigger.search(text):
            return by_name[name]
    words = _FILLER_START.sub("", text).split()
    if words and words[0] in VERB_INTENTS:
        return by_name[VERB_INTENTS[words[0]]]
    return next((intent for intent in INTENTS if intent.trigger.search(text)), None)


def triggered(chunk: str) -> bool:
    """Whether any intent's trigger words are in ``chunk``."""
    return any(intent.trigger.search(chunk) for intent in INTENTS)
