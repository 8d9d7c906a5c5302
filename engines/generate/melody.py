"""The melody control: a pitch (or pitch-class) curve -> the notes the melody track sounds.

Frames are control frames (``CONTROL_FRAME_RATE`` Hz from 0:00); frame ``k``
is centred at ``k / rate`` s and owns the time from half a frame before to
half a frame after. Pitch-class-only melody (``melody_chroma``, as read off
audio) gets octaves by dynamic programming: the line stays inside the melody
range, near its centre, and avoids leaps beyond a fifth where a nearer octave
exists. Where the curve is specified, the melody sounds exactly its pitch,
frame by frame; the composer's notes decide only where a held pitch is struck
again. Where it is not, the composer's notes stand as written.
"""
from __future__ import annotations

import numpy as np

from engines.common import CONTROL_FRAME_RATE, Note

LEAP = 7
"""Semitones a melody may jump between runs before the octave choice pays extra."""


def runs(values: np.ndarray) -> list[tuple[int, int, float]]:
    """(start, stop, value) of each run of equal, specified (not NaN) frames."""
    v = np.asarray(values, dtype=np.float64)
    out: list[tuple[int, int, float]] = []
    k, n = 0, len(v)
    while k < n:
        if np.isnan(v[k]):
            k += 1
            continue
        j = k + 1
        while j < n and v[j] == v[k]:
            j += 1
        out.append((k, j, float(v[k])))
        k = j
    return out


def place_octaves(chroma: np.ndarray, *, low: int, high: int, center: float) -> np.ndarray:
    """Pitch classes per frame (float, NaN = unspecified) -> MIDI pitches (float32, NaN kept).

    Each run of one pitch class becomes one pitch in [low, high]; the choice
    minimises, over the whole line, the distance moved between runs (leaps
    over ``LEAP`` semitones count four times over) plus a pull of 0.15 a
    semitone towards ``center``.
    """
    segments = runs(np.mod(np.round(np.asarray(chroma, dtype=np.float64)), 12))
    out = np.full(len(chroma), np.nan, dtype=np.float32)
    if not segments:
        return out
    options = [[p for p in range(low, high + 1) if p % 12 == int(pc)] or [_nearest(int(pc), center)]
               for _, _, pc in segments]
    choice = _cheapest_path(options, center)
    for (a, b, _), pitch in zip(segments, choice):
        out[a:b] = pitch
    return out


def _nearest(pc: int, center: float) -> int:
    base = int(round(center)) - 6
    return base + (pc - base) % 12


def _cheapest_path(options: list[list[int]], center: float) -> list[int]:
    """Viterbi over the octave options of each run (see ``place_octaves``)."""
    cost = np.array([0.15 * abs(p - center) for p in options[0]])
    back: list[np.ndarray] = []
    for prev, now in zip(options[:-1], options[1:]):
        move = np.abs(np.subtract.outer(np.array(prev), np.array(now))).astype(np.float64)
        move += 3.0 * np.maximum(0.0, move - LEAP)
        total = cost[:, None] + move
        back.append(np.argmin(total, axis=0))
        cost = total.min(axis=0) + np.array([0.15 * abs(p - center) for p in now])
    pick = int(np.argmin(cost))
    path = [pick]
    for step in reversed(back):
        pick = int(step[pick])
        path.append(pick)
    path.reverse()
    return [opts[i] for opts, i in zip(options, path)]


def melody_frames(melody: np.ndarray, chroma: np.ndarray, *, low: int, high: int,
                  center: float) -> np.ndarray:
    """MIDI pitch per frame (float32, NaN = unspecified): ``melody`` where given, else the
    chroma placed by ``place_octaves``. Both inputs are float (n,) frame curves."""
    melody = np.asarray(melody, dtype=np.float32)
    placed = place_octaves(np.where(np.isnan(melody), chroma, np.nan), low=low, high=high, center=center)
    return np.where(np.isnan(melody), placed, np.round(melody)).astype(np.float32)


def merge_short_runs(pitch: np.ndarray, min_frames: int) -> np.ndarray:
    """Runs shorter than ``min_frames`` frames take the pitch of their longer specified
    neighbour (flicker in an extracted curve), float32 (n,)."""
    out = np.asarray(pitch, dtype=np.float32).copy()
    if min_frames <= 1:
        return out
    segments = runs(out)
    for i, (a, b, _) in enumerate(segments):
        if b - a >= min_frames:
            continue
        left = segments[i - 1] if i and segments[i - 1][1] == a else None
        right = segments[i + 1] if i + 1 < len(segments) and segments[i + 1][0] == b else None
        pick = max((s for s in (left, right) if s is not None), key=lambda s: s[1] - s[0], default=None)
        if pick is not None:
            out[a:b] = out[pick[0]]
    return out


def step_locks(pitch: np.ndarray, frame_steps: np.ndarray, n_steps: int, *,
               min_share: float = 0.5) -> np.ndarray:
    """The pitch each 16th step must sound: int16 (n_steps,), -1 = free.

    pitch: float32 (n,) MIDI pitch per frame (NaN unspecified). frame_steps:
    float (n,) the grid position (16th steps) of each frame's centre. A step
    is locked to its most frequent pitch when at least ``min_share`` of its
    frames specify one.
    """
    out = np.full(n_steps, -1, dtype=np.int16)
    step = np.floor(np.asarray(frame_steps)).astype(np.int64)
    inside = (step >= 0) & (step < n_steps)
    counts = np.bincount(step[inside], minlength=n_steps)
    given = inside & ~np.isnan(pitch)
    for s in np.unique(step[given]):
        values = pitch[given & (step == s)].astype(np.int64)
        if len(values) >= min_share * counts[s]:
            out[s] = np.bincount(values).argmax()
    return out


def frame_edges(a: int, b: int) -> tuple[float, float]:
    """Seconds from the start of frame ``a`` to the end of frame ``b - 1``."""
    return max(0.0, (a - 0.5) / CONTROL_FRAME_RATE), (b - 0.5) / CONTROL_FRAME_RATE


def realize(pitch: np.ndarray, composed: list[Note], *, min_note: float,
            velocity: int = 96) -> list[Note]:
    """The melody's notes in seconds.

    pitch: float32 (n,) MIDI pitch per frame, NaN where the melody is free.
    composed: the composer's melody notes (seconds). Specified runs sound
    their pitch from edge to edge, struck again where a composed note starts
    inside them (at least ``min_note`` seconds from either end); free time
    keeps the composed notes, cut at the specified runs (pieces shorter than
    ``min_note`` are dropped). Notes get ``velocity``.
    """
    notes: list[Note] = []
    given = runs(pitch)
    onsets = np.array(sorted(n.start for n in composed))
    for a, b, p in given:
        start, end = frame_edges(a, b)
        cuts = onsets[(onsets > start + min_note) & (onsets < end - min_note)]
        bounds = [start, *_spaced(cuts, min_note), end]
        notes += [Note(int(p), s, e - s, velocity) for s, e in zip(bounds[:-1], bounds[1:])]
    busy = [frame_edges(a, b) for a, b, _ in given]
    for note in composed:
        for s, e in _free_parts(note.start, note.end, busy):
            if e - s >= min_note:
                notes.append(Note(note.pitch, s, e - s, note.velocity))
    return sorted(notes, key=lambda n: (n.start, n.pitch))


def _spaced(times: np.ndarray, gap: float) -> list[float]:
    kept: list[float] = []
    for t in times:
        if not kept or t - kept[-1] >= gap:
            kept.append(float(t))
    return kept


def _free_parts(start: float, end: float, busy: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Pieces of [start, end) outside every busy interval."""
    parts = [(start, end)]
    for a, b in busy:
        if b <= start or a >= end:
            continue
        parts = [piece for s, e in parts for piece in ((s, min(e, a)), (max(s, b), e)) if piece[1] > piece[0]]
    return parts
