"""Monophonic lines (melody, vocals, bass): posteriors -> one note at a time.

The network's note posterior (88 pitches per frame) and a YIN periodicity
salience of the same frames are combined into one score per pitch; a Viterbi
pass over "silence or one of the pitches" picks the single most likely line,
paying a cost for every change, so harmonics and octave ghosts that a
polyphonic decoder keeps as extra notes cannot appear. The line is cut into
notes where its pitch changes, where it falls silent, and where the onset
posterior peaks on the sounding pitch (a repeated note); each start is moved
to the nearest onset peak within a few frames.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engines.transcribe.features import Features, harmonic_db
from engines.transcribe.nmp import FRAME_RATE, LOWEST_PITCH, N_PITCHES, Posteriors


@dataclass(frozen=True)
class MonoConfig:
    """Settings of the monophonic decoder.

    min_pitch / max_pitch: MIDI range of the line (the kind sets it: bass lower).
    silence_score: a frame is silent when no pitch scores above this.
    switch_cost: score a change of pitch (or to/from silence) costs in the Viterbi.
    onset_threshold: an onset-posterior peak this high on the sounding pitch
        starts a new note even when the pitch does not change.
    start_threshold: a note's start moves to the strongest onset peak at least
        this high from ``snap_frames`` before it to a shortest note after it.
    min_note_ms: shorter notes are merged into their neighbour or dropped.
    snap_frames: a note start moves to an onset peak at most this many frames away.
    note_support: a note whose median note probability is below this is dropped.
    reattack_*: a held pitch is played again (a legato repeat, which shows no
        clear onset peak) where its harmonics fall by ``drop_db`` to
        ``max_drop_db`` (deeper is a silence) and rise by ``rise_db``, each
        within ``window_ms``, the loudness falls by ``loudness_db`` with them,
        and the onset posterior reaches ``onset`` there.
    """

    min_pitch: int = LOWEST_PITCH
    max_pitch: int = LOWEST_PITCH + N_PITCHES - 1
    silence_score: float = 0.3
    switch_cost: float = 1.0
    onset_threshold: float = 0.65
    start_threshold: float = 0.25
    min_note_ms: float = 50.0
    split_gap_ms: float = 80.0
    lead_ms: float = 120.0
    snap_frames: int = 6
    note_support: float = 0.5
    reattack_drop_db: float = 6.0
    reattack_rise_db: float = 3.0
    reattack_window_ms: float = 150.0
    reattack_max_drop_db: float = 14.0
    reattack_loudness_db: float = 4.5
    reattack_onset: float = 0.15


def viterbi_line(scores: np.ndarray, silence: float, switch_cost: float) -> np.ndarray:
    """Best state path through ``scores`` (float (n_frames, n_pitches), higher is better).

    State 0 is silence (score ``silence`` each frame), state k > 0 is pitch k - 1.
    Staying costs nothing, any change costs ``switch_cost``. Returns int (n_frames,)
    with -1 for silence, else the pitch index.
    """
    n, m = scores.shape
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    emit = np.concatenate([np.full((n, 1), silence), scores], axis=1)
    back = np.zeros((n, m + 1), dtype=np.int32)
    total = emit[0].copy()
    for t in range(1, n):
        best = int(np.argmax(total))
        switch = total[best] - switch_cost
        stay = total >= switch
        back[t] = np.where(stay, np.arange(m + 1), best)
        total = np.where(stay, total, switch) + emit[t]
    path = np.empty(n, dtype=np.int64)
    path[-1] = int(np.argmax(total))
    for t in range(n - 1, 0, -1):
        path[t - 1] = back[t, path[t]]
    return path - 1


def decode_mono(post: Posteriors, feats: Features, config: MonoConfig = MonoConfig()) -> list[tuple[int, int, int]]:
    """(start_frame, end_frame, midi_pitch) of each note of the single line in ``post``;
    ``feats`` (on the same frames) show where a held pitch is played again."""
    scores = post.note.astype(np.float64).copy()
    lo, hi = config.min_pitch - LOWEST_PITCH, config.max_pitch - LOWEST_PITCH + 1
    scores[:, :max(lo, 0)] = 0
    scores[:, max(hi, 0):] = 0
    path = viterbi_line(scores, config.silence_score, config.switch_cost)
    return _segments(path, post, feats, config)


def _segments(path: np.ndarray, post: Posteriors, feats: Features, config: MonoConfig) -> list[tuple[int, int, int]]:
    """Cut the Viterbi path into notes: at pitch changes and silences, and at strong onset
    peaks on the sounding pitch; a note's first frame moves to an onset peak near it."""
    from scipy.signal import argrelmax

    min_frames = max(1, int(round(config.min_note_ms / 1000 * FRAME_RATE)))
    gap = max(min_frames, int(round(config.split_gap_ms / 1000 * FRAME_RATE)))
    lead = int(round(config.lead_ms / 1000 * FRAME_RATE))
    change = np.flatnonzero(np.diff(path)) + 1
    bounds = np.concatenate([[0], change, [len(path)]])
    notes = []
    for a, b in zip(bounds[:-1], bounds[1:]):
        pitch = int(path[a])
        if pitch < 0:
            continue
        column = post.onset[:, pitch]
        peaks = [int(p) for p in argrelmax(column)[0] if a - config.snap_frames <= p < b - min_frames]
        starts: list[int] = []
        for p in peaks:
            if column[p] >= config.onset_threshold and (not starts or p - starts[-1] >= gap):
                starts.append(p)
        if not starts or starts[0] > a + lead:
            weak = [p for p in peaks if p <= a + lead and column[p] >= config.start_threshold]
            first = max(weak, key=lambda p: column[p]) if weak else int(a)
            if not starts or starts[0] - first >= gap:
                starts.insert(0, first)
        starts = _with_reattacks(starts, post, feats, pitch, int(b), gap, min_frames, config)
        for s, e in zip(starts, starts[1:] + [int(b)]):
            if e - s >= min_frames and np.median(post.note[s:e, pitch]) >= config.note_support:
                notes.append((s, e, pitch + LOWEST_PITCH))
    return _without_overlaps(notes)


def _without_overlaps(notes: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """A line plays one note at a time: a note ends where the next one starts."""
    out = []
    for (s, e, p), nxt in zip(notes, notes[1:] + [None]):
        out.append((s, min(e, nxt[0]) if nxt is not None else e, p))
    return [n for n in out if n[1] > n[0]]


def _with_reattacks(starts: list[int], post: Posteriors, feats: Features, index: int, stop: int, gap: int,
                    min_frames: int, config: MonoConfig) -> list[int]:
    """``starts`` plus the frames in (starts[0], stop) where pitch ``index`` (0 = MIDI 21) is
    played again without a clear onset peak: its harmonics and the loudness dip and come back
    (``reattacks``) and the onset posterior at least stirs there."""
    first = starts[0]
    env = harmonic_db(feats.spectrum, index + LOWEST_PITCH, first, stop)
    window = int(round(config.reattack_window_ms / 1000 * FRAME_RATE))
    merged = list(starts)
    for fall, low in reattacks(env, drop_db=config.reattack_drop_db, rise_db=config.reattack_rise_db,
                               max_drop_db=config.reattack_max_drop_db, window=window):
        frame, bottom = first + fall, first + low
        if frame >= stop - min_frames or any(frame - gap <= s <= bottom + window for s in merged):
            continue
        loud = feats.loudness[max(first, bottom - window):bottom + 1]
        stir = post.onset[max(0, frame - 3):bottom + 4, index].max()
        if loud.max() - loud[-1] >= config.reattack_loudness_db and stir >= config.reattack_onset:
            merged.append(frame)
    return sorted(merged)


def reattacks(env: np.ndarray, *, drop_db: float, rise_db: float, max_drop_db: float,
              window: int) -> list[tuple[int, int]]:
    """(fall, bottom) frames of ``env`` (float dB per frame) where a level that fell by at least
    ``drop_db`` (but less than ``max_drop_db``: deeper is a silence between notes) within
    ``window`` frames rises again by at least ``rise_db`` within ``window`` frames. ``fall`` is
    where the fall began (the last frame within 1.5 dB of the level before it), ``bottom`` its
    lowest frame."""
    from scipy.signal import argrelmin

    if len(env) < 3:
        return []
    smooth = np.convolve(env, np.ones(3) / 3, mode="same")
    smooth[0], smooth[-1] = env[0], env[-1]
    out = []
    for m in argrelmin(smooth, order=2)[0]:
        before = smooth[max(0, m - window):m]
        after = smooth[m:m + window]
        if before.size == 0 or after.max() - smooth[m] < rise_db:
            continue
        if not drop_db <= before.max() - smooth[m] < max_drop_db:
            continue
        top = max(0, m - window) + int(np.argmax(before))
        fall = top + int(np.flatnonzero(smooth[top:m + 1] >= smooth[top] - 1.5)[-1])
        out.append((fall, int(m)))
    return out
