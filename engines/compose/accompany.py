"""Synthetic accompaniment for folk melodies: block chords and a bass ostinato under a tune.

music21's corpus has no song texture (a lively tune over repeated chords and a
bass riff): its accompanied melodies are chorales, vocal polyphony and
quartets, where the parts move together. A model trained only on them
writes chorale-like melodies over block chords and ignores a track's own
riff. ``accompany`` gives a folk tune (Essen, O'Neill) simple harmony:

- a chord per bar or half bar: the diatonic triad of the tune's key that
  holds most of the melody's sounding steps there (a prior of up to one
  step favours I, then V, then IV);
- "harmony" lanes: the chord in close position near the last voicing,
  struck in a rhythm drawn once per piece and repeated every bar;
- a "bass" lane: the chord's root (now and then its fifth or octave) in
  another rhythm drawn once per piece, also repeated every bar.

Rhythms are drawn at random per piece (sustained, halves, beats, or a random
riff on the 8th/16th grid, legato or short), so the only way to predict a
hidden bar of a part is to read the same part elsewhere in the piece.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from engines.compose.data import DERIVED, Piece, role_index
from engines.compose.grid import REST, GridNote, encode_lane
from engines.compose.keys import UNKNOWN_KEY, find_key, pitch_class_histogram

PREFIX = DERIVED[0] + ":"
"""Names of accompanied pieces: PREFIX + the tune's name (the split follows the tune)."""
MAJOR_CHORDS = ((0, "maj", 1.0), (7, "maj", 0.8), (5, "maj", 0.7), (9, "min", 0.4), (2, "min", 0.3),
                (4, "min", 0.2))
MINOR_CHORDS = ((0, "min", 1.0), (7, "maj", 0.8), (5, "min", 0.7), (8, "maj", 0.4), (3, "maj", 0.3),
                (10, "maj", 0.3))
"""(root above the tonic, quality, prior) of the chords an accompaniment may use."""
SHAPES = {"maj": (0, 4, 7), "min": (0, 3, 7)}
Rhythm = list[tuple[int, int]]
"""(onset step in the bar, length in steps) of a rhythm repeated every bar."""


Plan = list[tuple[int, int, tuple[int, ...]]]
"""(start step, stop step, pitch classes) of each chord."""


def chord_plan(melody: np.ndarray, pos: np.ndarray, key: int, *, half_bars: bool) -> Plan:
    """(start, stop, pitch classes) of one chord per bar (or half bar) of the tune.

    melody: uint8 (L, T) pitches of the tune's lanes. pos: uint8 (T,) step in bar.
    """
    n = melody.shape[1]
    bounds = np.flatnonzero(pos == 0).tolist()
    if half_bars:
        bounds += [t for t in range(n) if pos[t] > 0 and _is_half(t, pos)]
    bounds = sorted(set([0] + bounds + [n]))
    tonic, chords = key % 12, (MAJOR_CHORDS if key < 12 else MINOR_CHORDS)
    plan = []
    for a, b in zip(bounds[:-1], bounds[1:]):
        hist = pitch_class_histogram(melody[:, a:b])
        scores = [sum(hist[(tonic + root + i) % 12] for i in SHAPES[q]) + prior
                  for root, q, prior in chords]
        root, quality, _ = chords[int(np.argmax(scores))]
        plan.append((a, b, tuple((tonic + root + i) % 12 for i in SHAPES[quality])))
    return plan


def _is_half(t: int, pos: np.ndarray) -> bool:
    """Whether step t is the middle of its bar (bar length from the steps around it)."""
    start = t - int(pos[t])
    stop = t + 1
    while stop < len(pos) and pos[stop] != 0:
        stop += 1
    length = stop - start
    return length % 2 == 0 and length >= 8 and int(pos[t]) == length // 2


def draw_rhythm(bar_len: int, rng: np.random.Generator, *, bass: bool) -> Rhythm:
    """A one-bar rhythm: sustained, halves, beats or a random riff; legato or short."""
    beat = 6 if bar_len % 6 == 0 and bar_len % 4 and rng.random() < 0.7 else 4
    odds = [0.1, 0.25, 0.25, 0.4] if bass else [0.2, 0.35, 0.25, 0.2]
    kind = rng.choice(["whole", "halves", "beats", "riff"], p=odds)
    if kind == "whole" or bar_len < 4:
        onsets = [0]
    elif kind == "halves":
        onsets = [0, bar_len // 2] if bar_len % 2 == 0 else [0]
    elif kind == "beats":
        onsets = list(range(0, bar_len, beat))
    else:
        grid = 1 if bass and rng.random() < 0.5 else 2
        keep = rng.random(bar_len // grid) < (0.35 if grid == 2 else 0.25)
        onsets = sorted({0} | {grid * int(i) for i in np.flatnonzero(keep)})
    ends = onsets[1:] + [bar_len]
    short = rng.random() < 0.35
    return [(a, max(1, min(b - a, 2 if short else b - a))) for a, b in zip(onsets, ends)]


def _voicing(pcs: tuple[int, ...], previous: list[int]) -> list[int]:
    """Three pitches of the chord in close position, nearest ``previous`` (high to low)."""
    best, cost = previous, None
    for low in range(50, 70):
        if low % 12 not in pcs:
            continue
        notes = [low] + [low + ((pc - low) % 12) for pc in pcs if pc != low % 12]
        notes = sorted(notes, reverse=True)
        if notes[0] > 79:
            continue
        c = sum(abs(a - b) for a, b in zip(notes, previous))
        if cost is None or c < cost:
            best, cost = notes, c
    return best


def _voicings(plan: Plan) -> list[list[int]]:
    """A close-position voicing per chord of the plan, each nearest the one before."""
    out, previous = [], [67, 64, 60]
    for _, _, pcs in plan:
        previous = _voicing(pcs, previous)
        out.append(previous)
    return out


def _roots(plan: Plan) -> list[int]:
    """A bass pitch (33-52) per chord of the plan: its root, nearest the one before."""
    out, previous = [], 43
    for _, _, pcs in plan:
        previous = min((p for p in range(33, 53) if p % 12 == pcs[0]), key=lambda p: abs(p - previous))
        out.append(previous)
    return out


def _voice_notes(rhythm: Rhythm, plan: Plan, pos: np.ndarray,
                 pitches: Callable[[int, int], list[int]]) -> list[list[GridNote]]:
    """Notes of the rhythm under each chord, one list per voice, cut at chord changes (a
    chord that starts off the rhythm is struck where it starts). ``pitches(i, t)``: the
    voices' pitches for chord i at step t."""
    voices: list[list[GridNote]] = []
    for i, (a, b, _) in enumerate(plan):
        lengths = dict(rhythm)
        starts = [t for t in range(a, b) if int(pos[t]) in lengths]
        if not starts or starts[0] != a:
            starts = [a] + starts
        for t in starts:
            length = lengths.get(int(pos[t]), b - a)
            for v, p in enumerate(pitches(i, t)):
                if v == len(voices):
                    voices.append([])
                voices[v].append(GridNote(p, t, max(1, min(length, b - t))))
    return voices


def accompany(piece: Piece, rng: np.random.Generator, *, keys: bool = True, bass: bool = True,
              copy: int = 0) -> Piece | None:
    """The tune with harmony lanes and/or a bass lane added (None when it cannot take them).

    ``copy`` > 0 names the piece as that copy (see ``data.DERIVED``).
    """
    if piece.n_lanes > 2 or not (keys or bass):
        return None
    key = piece.key if piece.key != UNKNOWN_KEY else find_key(pitch_class_histogram(piece.pitch))
    bar_len = int(np.bincount(piece.bar_len).argmax())
    if key == UNKNOWN_KEY or bar_len < 4 or (piece.pos == 0).sum() < 2:
        return None
    plan = chord_plan(piece.pitch, piece.pos, key, half_bars=bar_len >= 12 and rng.random() < 0.4)
    parts: list[tuple[str, list[GridNote]]] = []
    if keys:
        chords = _voicings(plan)
        voices = _voice_notes(draw_rhythm(bar_len, rng, bass=False), plan, piece.pos, lambda i, t: chords[i])
        parts += [("harmony", voice) for voice in voices]
    if bass:
        moves = rng.choice([0, 7, 12], size=64, p=[0.7, 0.15, 0.15])
        roots = _roots(plan)

        def line(i: int, t: int) -> list[int]:
            at = int(piece.pos[t])
            return [roots[i] + int(moves[at % 64]) * (at > 0)]
        rhythm = draw_rhythm(bar_len, rng, bass=True)
        parts += [("bass", voice) for voice in _voice_notes(rhythm, plan, piece.pos, line)]
    cells = [encode_lane(notes, piece.n_steps) for _, notes in parts]
    pitch = np.concatenate([piece.pitch, np.stack([c[0] for c in cells])]).astype(np.uint8)
    onset = np.concatenate([piece.onset, np.stack([c[1] for c in cells])]).astype(bool)
    roles = np.array([*piece.roles.tolist(), *(role_index(role) for role, _ in parts)], dtype=np.int8)
    name = PREFIX + piece.name + (f"@{copy}" if copy else "")
    return Piece(name, pitch, onset, roles, piece.pos, piece.bar_len, key=piece.key)


def accompanied(pieces: list[Piece], *, seed: int = 0, copies: int = 1) -> list[Piece]:
    """``copies`` accompanied versions of each tune (keys and bass 60%, keys 20%, bass 20%)."""
    rng = np.random.default_rng(seed)
    out = []
    for copy in range(copies):
        for piece in pieces:
            k = rng.random()
            made = accompany(piece, rng, keys=k < 0.8, bass=k >= 0.2, copy=copy)
            if made is not None and (made.pitch[piece.n_lanes:] != REST).any():
                out.append(made)
    return out
