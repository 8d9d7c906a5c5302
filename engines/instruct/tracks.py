"""Which tracks a clause means: names (with typos), roles, instruments, "everything except …".

Tried at each word, longest phrase first: a track's name ("Guitar (audio)",
or one word of it, "guitar"), a role ("the bass", "the percussion"), an
instrument ("the flute" finds a track played on a flute-family program), a
group ("everything", "all the tracks", "everything except the drums") or a
pronoun ("it", "them": the tracks of the clause before). A word within a
typo's reach of one of those, and known to no one else, counts as it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from engines.instruct.clause import FILLER, Clause
from engines.instruct.fuzzy import nearest
from engines.instruct.lexicon import INSTRUMENTS, ROLE_WORDS
from engines.instruct.vocabulary import SongInfo, TrackInfo

GROUP = re.compile(r"^(?:all (?:of )?(?:the )?(?:other )?(?:tracks|parts|instruments)|all the rest|the rest"
                   r"|every (?:track|part|instrument)|everything(?: else)?|everyone(?: else)?|all of it"
                   r"|the (?:whole |entire )?band|all|the others|the other tracks|other tracks)$")
EXCEPT = re.compile(r"^(?:except(?: for)?|but(?: not)?|apart from|other than|besides|excluding|save for"
                    r"|everything but|except the)$")
PRONOUNS = ("it", "them", "they", "those", "that", "this", "these", "one")
VOCAL_WORDS = ("vocals", "vocal", "voice", "voices", "singer", "singing", "vox")
KIND_WORDS = {"audio": "audio", "audio track": "audio", "stem": "audio", "recording": "audio",
              "midi": "midi", "midi tracks": "midi", "midi track": "midi"}
SUFFIX = ("tracks", "track", "parts", "part", "channel", "stem", "stems")
MAX_PHRASE = 4


@dataclass
class Selection:
    """Tracks a clause names, in song order, and what it said that named none.

    ``missing``: role or instrument words for which the song has no track
    ("the vocals" in a song without one). ``everything``: a group word was
    used. ``pronoun``: the clause said "it"/"them".
    """

    names: list[str] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    everything: bool = False
    pronoun: bool = False

    @property
    def found(self) -> bool:
        return bool(self.names or self.missing or self.everything or self.pronoun)


def _norm(name: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9#]+", " ", name.lower()).split())


def _by_family(song: SongInfo, program: int) -> list[TrackInfo]:
    return [t for t in song.tracks if t.pitched and t.program // 8 == program // 8]


def _role_of(phrase: str) -> str | None:
    for role, words in ROLE_WORDS.items():
        if phrase in words:
            return role
    return None


def match_phrase(phrase: str, song: SongInfo) -> tuple[list[str], bool] | None:
    """Tracks ``phrase`` names and whether it named an existing thing; None if it is no track word."""
    exact = [t.name for t in song.tracks if _norm(t.name) == phrase]
    if exact:
        return exact, True
    if phrase in KIND_WORDS:
        return [t.name for t in song.tracks if t.kind == KIND_WORDS[phrase]], True
    role = _role_of(phrase)
    if role is not None:
        return [t.name for t in song.tracks if t.role == role], True
    if phrase in VOCAL_WORDS:
        return [t.name for t in song.tracks if any(w in _norm(t.name).split() for w in VOCAL_WORDS)], True
    named = _by_name_words(phrase, song)
    if phrase in INSTRUMENTS:
        return (named or [t.name for t in _by_family(song, INSTRUMENTS[phrase][0])]), True
    return (named, True) if named else None


def _by_name_words(phrase: str, song: SongInfo) -> list[str]:
    """Tracks whose name holds ``phrase`` as whole words; of several, those with the shortest
    names ("guitar" is "Guitar (audio)", not its stem "Guitar (audio) vocals")."""
    if len(phrase) < 3:
        return []
    found = [t.name for t in song.tracks if f" {phrase} " in f" {_norm(t.name)} "]
    if not found:
        return []
    shortest = min(len(_norm(n).split()) for n in found)
    return [n for n in found if len(_norm(n).split()) == shortest]


def vocabulary_words(song: SongInfo) -> set[str]:
    """Every single word that can name a track (for typo matching)."""
    words = {w for t in song.tracks for w in _norm(t.name).split() if len(w) > 3}
    for phrases in ROLE_WORDS.values():
        words |= {p for p in phrases if " " not in p}
    return words | {w for w in INSTRUMENTS if " " not in w} | set(VOCAL_WORDS)


def take_tracks(clause: Clause, song: SongInfo, *, context: tuple[str, ...] = (),
                known: frozenset[str] = frozenset()) -> Selection:
    """Take every track reference from the clause's untaken words (see the module docstring).

    ``known``: words of the grammar that must never be read as a typo of a track word.
    """
    sel = Selection()
    excluding = False
    i = 0
    while i < len(clause.words):
        size = _match_at(clause, i, song, sel, excluding, context, known)
        if size == -1:
            excluding = True
            size = 1
        i += max(size, 1)
    order = [t.name for t in song.tracks]
    if sel.everything:
        sel.names = [n for n in order if n not in sel.excluded and n not in sel.names] + sel.names
    sel.names = [n for n in order if n in set(sel.names) and n not in sel.excluded]
    return sel


def _match_at(clause: Clause, i: int, song: SongInfo, sel: Selection, excluding: bool,
              context: tuple[str, ...], known: frozenset[str]) -> int:
    """Try phrases starting at word ``i``; record a match; return words used (-1: "except")."""
    for size in range(MAX_PHRASE, 0, -1):
        span = range(i, i + size)
        if span.stop > len(clause.words) or any(clause.used[j] for j in span):
            continue
        phrase = " ".join(clause.words[j] for j in span)
        if EXCEPT.match(phrase) and (sel.everything or sel.pronoun):
            _use(clause, span)
            return -1
        if phrase == "all" and _names_a_track(clause, i + 1, song):
            _use(clause, span)  # "all the drums" is the drums, not everything
            return 1
        if GROUP.match(phrase):
            sel.everything = True
            sel.phrases.append(phrase)
            if phrase.endswith("else") or phrase in ("the others", "the other tracks", "other tracks",
                                                     "all the rest", "the rest"):
                sel.excluded += list(context)
            _use(clause, span)
            return size
        if size == 1 and phrase in PRONOUNS and phrase != "one":
            sel.pronoun = True
            sel.names += list(context) if not excluding else []
            sel.excluded += list(context) if excluding else []
            _use(clause, span)
            return 1
        found = match_phrase(phrase, song)
        if found is None and size == 1 and phrase not in known and phrase not in FILLER:
            found = _typo_match(phrase, song)
        if found is not None:
            names, _ = found
            (sel.excluded if excluding else sel.names).extend(names)
            if not names:
                sel.missing.append(phrase)
            sel.phrases.append(phrase)
            _use(clause, _with_suffix(clause, span))
            return size
    return 1


def _typo_match(word: str, song: SongInfo) -> tuple[list[str], bool] | None:
    """What ``word`` names read as a typo: the nearest track word's match, also when several are
    equally near but name the same tracks ("drusm": "drums" or "drum"); None otherwise."""
    found = {(tuple(m[0]), m[1]) for w in nearest(word, vocabulary_words(song))
             if (m := match_phrase(w, song)) is not None}
    if len(found) != 1:
        return None
    names, said = found.pop()
    return list(names), said


def _names_a_track(clause: Clause, i: int, song: SongInfo) -> bool:
    """Whether the untaken words from ``i`` (after "of"/"the") name tracks, as in "all (of) the drums"."""
    while i < len(clause.words) and clause.words[i] in ("of", "the", "my", "our") and not clause.used[i]:
        i += 1
    for size in range(MAX_PHRASE, 0, -1):
        span = range(i, i + size)
        if span.stop <= len(clause.words) and not any(clause.used[j] for j in span):
            phrase = " ".join(clause.words[j] for j in span)
            if not GROUP.match(phrase) and match_phrase(phrase, song) is not None:
                return True
    return False


def _with_suffix(clause: Clause, span: range) -> range:
    """The span plus a following "track"/"part" word and a preceding "the"."""
    start, stop = span.start, span.stop
    if stop < len(clause.words) and not clause.used[stop] and clause.words[stop] in SUFFIX:
        stop += 1
    if start > 0 and not clause.used[start - 1] and clause.words[start - 1] in ("the", "my", "our", "your"):
        start -= 1
    return range(start, stop)


def _use(clause: Clause, span: range) -> None:
    for j in span:
        clause.used[j] = True
