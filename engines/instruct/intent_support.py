"""Small pieces the intents share: naming tracks back to the user, amounts, style words."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Protocol

from engines.instruct.clause import Clause
from engines.instruct.lexicon import STYLE_WORDS, alternatives
from engines.instruct.plan import Refuse, Step
from engines.instruct.state import State
from engines.instruct.tracks import Selection
from engines.instruct.vocabulary import SongInfo

if TYPE_CHECKING:
    from engines.instruct.planner import Planner

SMALL = r"a (?:little |tiny )?bit|a little|slightly|a touch|a tad|just a bit|somewhat|gently|subtly"
LARGE = r"a lot|much|way|lots|a great deal|significantly|considerably|dramatically|far|heaps"
STYLE = re.compile(rf"(?<!\S)(?:{alternatives(STYLE_WORDS)})(?!\S)")


class Handler(Protocol):
    def __call__(self, clause: Clause, state: State, planner: "Planner") -> list[Step]: ...


def track_list(song: SongInfo) -> str:
    return ", ".join(t.name for t in song.tracks) or "none"


def named(sel: Selection, state: State, verb: str, *, example: str = "") -> list[str]:
    """The tracks a clause names; a refusal when it names one that does not exist (never a
    plan for only the others: "mute the tuba and the drums" must not just mute the drums)."""
    have = track_list(state.song)
    if sel.names and not sel.missing:
        return sel.names
    if sel.missing:
        raise Refuse(f"there is no {sel.missing[0]} track to {verb} (tracks: {have})",
                     suggestions=(example,) if example else ())
    raise Refuse(f"which track should I {verb}? (tracks: {have})", suggestions=(example,) if example else ())


def size(clause: Clause, normal: float, small: float, large: float) -> float:
    """``normal``, or ``small`` after "a bit"/"slightly", ``large`` after "a lot"/"much"."""
    if clause.take(SMALL):
        return small
    if clause.take(LARGE):
        return large
    return normal


def take_style(clause: Clause) -> str:
    """Take every style word ("walking", "brushed", "funky") and return them in order."""
    found = []
    while (match := clause.find(STYLE)) is not None:
        found.append(match.group(0))
        clause.take_span(match.start(), match.end())
    return " ".join(found)


def midi_only(names: list[str], song: SongInfo, verb: str, *, drums: bool = True) -> list[str]:
    """Refuse audio tracks (and drum tracks unless ``drums``) among ``names``."""
    for name in names:
        track = song.track(name)
        if track.kind == "audio":
            raise Refuse(f"{name} is an audio track; I can only {verb} MIDI tracks (transcribe it to MIDI first)",
                         suggestions=(f"transcribe the {name.lower()} to MIDI",))
        if track.is_drum and not drums:
            raise Refuse(f"{name} is a drum track: its notes are drum sounds, not pitches, so I won't {verb} it",
                         suggestions=(f"{verb} the other tracks",))
    return names


def default_tracks(song: SongInfo, *, drums: bool) -> list[str]:
    """Every MIDI track (pitched only unless ``drums``)."""
    return [t.name for t in song.tracks if t.kind == "midi" and (drums or not t.is_drum)]


def excluded_note(song: SongInfo, chosen: list[str], why: str) -> str | None:
    """A note naming the tracks not in ``chosen`` ("Drums and Guitar stay: ..."), or None."""
    left = [t.name for t in song.tracks if t.name not in chosen]
    if not left:
        return None
    return f"{', '.join(left)} {'stays' if len(left) == 1 else 'stay'} as {'it is' if len(left) == 1 else 'they are'}: {why}"
