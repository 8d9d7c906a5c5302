"""A deterministic prompt reader: plain phrases -> ``Attributes``, and what it understood.

"slow sad piano in D minor" -> tempo 72, emotion sad, piano for the melody and
harmony, key D minor. "energetic, drums and bass, 128 bpm" -> tempo 128
(the number beats the word), busy, drums and bass present. Phrases are
matched longest first and each word is used once; later phrases override
earlier ones of the same kind, and numbers override words. Every word that
is neither understood nor a filler word is reported as ignored.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from engines.generate.attributes import ROLES, Attributes
from engines.generate.vocabulary import FILLERS, INSTRUMENTS, PHRASES, Meaning, assign_programs

_NOTE = {"c": 0, "d": 2, "e": 4, "f": 5, "g": 7, "a": 9, "b": 11}
_ACCIDENTAL = {"#": 1, "♯": 1, "sharp": 1, "b": -1, "♭": -1, "flat": -1}
_KEY = re.compile(r"\b(?:in\s+(?:the\s+key\s+of\s+)?|key\s+of\s+)?([a-g])(?:\s*-?\s*(#|♯|♭|sharp|flat|b(?=\s*-?\s*(?:maj|min|:))))?"
                  r"(?:\s*:\s*|\s*-\s*|\s+)?(major|minor|maj|min)\b")
_SHORT_KEY = re.compile(r"(?<![\w#])(?:(?:[Ii]n|[Kk]ey of)\s+)?([A-G])(#|b)?(m)?(?![\w#])")
_BPM = re.compile(r"\b(?:at\s+|tempo\s+)?(\d{2,3}(?:\.\d+)?)\s*(?:bpm|beats\s+per\s+minute)\b")
_METER = re.compile(r"\b(?:in\s+)?(\d{1,2})\s*/\s*(\d{1,2})(?:\s+time)?\b")


@dataclass(frozen=True)
class PromptReading:
    """What a prompt asked for: ``attributes``; ``understood``: (words, meaning) in
    prompt order; ``ignored``: words it did not use (fillers like "a" or "with" left out)."""

    attributes: Attributes
    understood: tuple[tuple[str, str], ...] = ()
    ignored: tuple[str, ...] = ()

    def summary(self) -> str:
        """One line for the user: "understood: ...; ignored: ..."."""
        parts = []
        if self.understood:
            parts.append("understood: " + ", ".join(f"{w} → {m}" for w, m in self.understood))
        if self.ignored:
            parts.append("ignored: " + ", ".join(repr(w) for w in self.ignored))
        return "; ".join(parts) or "nothing to read"


@dataclass
class _State:
    text: str
    used: list[bool]
    found: list[tuple[int, str, str]] = field(default_factory=list)  # (position, words, meaning)
    attrs: Attributes = field(default_factory=Attributes)
    instruments: list[tuple[int, str]] = field(default_factory=list)
    roles_add: set[str] = field(default_factory=set)
    roles_drop: set[str] = field(default_factory=set)
    only: bool = False
    tempo_number: bool = False

    def take(self, match: re.Match[str], meaning: str) -> bool:
        """Mark the match's characters used; False when some were used already."""
        a, b = match.span()
        if any(self.used[a:b]):
            return False
        self.used[a:b] = [True] * (b - a)
        self.found.append((a, " ".join(match.group(0).split()), meaning))
        return True


def read_prompt(text: str) -> PromptReading:
    """Read ``text`` (any case, any punctuation); never raises on odd input."""
    lowered = text.lower()
    state = _State(lowered, [False] * len(lowered))
    _numbers(state)
    _keys(state, text)
    for pattern, meaning in PHRASES:
        for match in re.finditer(pattern, lowered):
            if state.take(match, meaning.describe()):
                _apply(state, meaning)
    for name in sorted(INSTRUMENTS, key=len, reverse=True):
        for match in re.finditer(rf"\b{re.escape(name)}s?\b", lowered):
            if state.take(match, INSTRUMENTS[name].describe(name)):
                state.instruments.append((match.start(), name))
    attrs = _attributes(state)
    understood = tuple((w, m) for _, w, m in sorted(state.found))
    return PromptReading(attrs, understood, _ignored(state))


def _numbers(state: _State) -> None:
    for match in _BPM.finditer(state.text):
        bpm = float(match.group(1))
        if 20 <= bpm <= 400 and state.take(match, f"tempo {bpm:g} BPM"):
            state.attrs = replace(state.attrs, tempo=bpm)
            state.tempo_number = True
    for match in _METER.finditer(state.text):
        num, den = int(match.group(1)), int(match.group(2))
        if 1 <= num <= 16 and den in (2, 4, 8, 16) and state.take(match, f"meter {num}/{den}"):
            state.attrs = replace(state.attrs, meter=(num, den))


def _keys(state: _State, original: str) -> None:
    for match in _KEY.finditer(state.text):
        tonic = (_NOTE[match.group(1)] + _ACCIDENTAL.get(match.group(2) or "", 0)) % 12
        mode = "minor" if match.group(3).startswith("min") else "major"
        _set_key(state, match, tonic, mode)
    for match in _SHORT_KEY.finditer(original):
        bare = match.group(2) is None and match.group(3) is None and match.group(0)[0] in "ABDEFG"
        if bare:
            continue  # a lone capital is a key as "C" or after "in" ("A" is mostly an article)
        tonic = (_NOTE[match.group(1).lower()] + (1 if match.group(2) == "#" else -1 if match.group(2) else 0)) % 12
        _set_key(state, match, tonic, "minor" if match.group(3) else "major")


def _set_key(state: _State, match: re.Match[str], tonic: int, mode: str) -> None:
    names = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
    if state.take(match, f"key {names[tonic]} {mode}"):
        state.attrs = replace(state.attrs, tonic=tonic, mode=mode)


def _apply(state: _State, meaning: Meaning) -> None:
    attrs = replace(meaning.attrs, tempo=None) if state.tempo_number else meaning.attrs
    state.attrs = state.attrs.merged(attrs)
    state.roles_add |= meaning.roles_add
    state.roles_drop |= meaning.roles_drop
    state.only = state.only or meaning.only


def _attributes(state: _State) -> Attributes:
    programs, parts = assign_programs([name for _, name in sorted(state.instruments)])
    return replace(state.attrs, programs=programs, roles=_roles(state, parts))


def _roles(state: _State, parts: set[str]) -> tuple[str, ...] | None:
    """The parts to write: all four unless the prompt said "only"/"solo" or left some out."""
    add = state.roles_add | parts
    chosen = (add or {"melody", "harmony"}) if state.only else set(ROLES)
    chosen -= state.roles_drop
    ordered = tuple(r for r in ROLES if r in chosen)
    return None if set(ordered) == set(ROLES) else ordered or None


def _ignored(state: _State) -> tuple[str, ...]:
    out = []
    for match in re.finditer(r"[\w#♯♭'/+-]+", state.text):
        a, b = match.span()
        word = match.group(0).strip("-'")
        if word and not any(state.used[a:b]) and word not in FILLERS:
            out.append(word)
    return tuple(out)
