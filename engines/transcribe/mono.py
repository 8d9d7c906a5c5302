"""Monophonic lines (melody, vocals, bass): posteriors -> one note at a time.

The network's note posterior (88 pitches per frame) and a YIN periodicity
salience of the same frames are combined into one score per pitch; a Viterbi
pass over "silence or one of the pitches" picks the single most likely line,
paying a cost for every change, so harmonics and octave ghosts that a
polyphonic decoder keeps as extra notes cannot appear. The line is cut into
notes where its pitch changes, where it falls silent, and where the held
pitch is played again (``repeats``); each start moves onto an onset peak near it.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engines.transcribe.features import Features
from engines.transcribe.nmp import FRAME_RATE, LOWEST_PITCH, N_PITCHES, Posteriors
from engines.transcribe.repeats import run_starts


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
    reattack_*: a held pitch is played again (a repeat that shows no clear
        onset peak) where its harmonics fall by ``drop_db`` and rise by
        ``rise_db``, each within ``window_ms``, the loudness falls by
        ``loudness_db`` with them, and the onset posterior reaches ``onset``
        there. Below ``max_drop_db`` the repeat is legato and starts where the
        fall began; from ``gap_db`` on there was a gap and it starts at the
        rise; dips in between are taken for tremolo and ignored.
    soft_onset / soft_dip_db: a middling onset peak starts a repeat where the
        pitch's harmonics also dip by this much (soft legato attacks); a
        ``soft_onset`` above 1 turns this off.
    yin_weight / yin_confidence: where YIN hears a pitch at least this surely,
        its confidence times the weight adds to that pitch's score (0 = YIN off).
    yin_decimate: YIN runs at 22050 / this Hz (4: pitches up to about 700 Hz).
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
    reattack_gap_db: float = 20.0
    reattack_loudness_db: float = 4.5
    reattack_onset: float = 0.15
    soft_onset: float = 0.5
    soft_dip_db: float = 4.0
    yin_weight: float = 0.0
    yin_confidence: float = 0.6
    yin_decimate: int = 4


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


@dataclass(frozen=True, eq=False)
class LineEvidence:
    """Per frame, how likely each pitch of a line's range sounds and starts.

    lowest: MIDI pitch of column 0. note: float64 (n_frames, n_pitches), the
    network's note posterior plus YIN's evidence (``yin_weight`` x confidence at
    the pitch YIN hears). onset: float64 (n_frames, n_pitches), the network's onset
    posterior (0 for pitches below its range, which only YIN can hear).
    """

    lowest: int
    note: np.ndarray
    onset: np.ndarray


def line_evidence(post: Posteriors, yin: tuple[np.ndarray, np.ndarray] | None,
                  config: MonoConfig = MonoConfig()) -> LineEvidence:
    """The evidence for a line in [config.min_pitch, config.max_pitch]; ``yin`` is
    (midi_pitch, confidence), float (n_frames,) each, from ``features.yin_track``, or None."""
    n, width = post.n_frames, config.max_pitch - config.min_pitch + 1
    note, onset = np.zeros((n, width)), np.zeros((n, width))
    a, b = max(config.min_pitch, LOWEST_PITCH), min(config.max_pitch, LOWEST_PITCH + N_PITCHES - 1)
    if a <= b:
        note[:, a - config.min_pitch:b - config.min_pitch + 1] = post.note[:, a - LOWEST_PITCH:b - LOWEST_PITCH + 1]
        onset[:, a - config.min_pitch:b - config.min_pitch + 1] = post.onset[:, a - LOWEST_PITCH:b - LOWEST_PITCH + 1]
    if yin is not None and config.yin_weight > 0:
        pitch, conf = yin
        column = np.round(pitch).astype(np.int64) - config.min_pitch
        heard = np.flatnonzero((conf >= config.yin_confidence) & (column >= 0) & (column < width))
        note[heard, column[heard]] += config.yin_weight * conf[heard]
    return LineEvidence(config.min_pitch, note, onset)


def decode_mono(evidence: LineEvidence, feats: Features, config: MonoConfig = MonoConfig()
                ) -> list[tuple[int, int, int]]:
    """(start_frame, end_frame, midi_pitch) of each note of the single line in ``evidence``;
    ``feats`` (on the same frames) show where a held pitch is played again."""
    path = viterbi_line(evidence.note, config.silence_score, config.switch_cost)
    return _segments(path, evidence, feats, config)


def _segments(path: np.ndarray, ev: LineEvidence, feats: Features, config: MonoConfig) -> list[tuple[int, int, int]]:
    """Cut the Viterbi path into notes: at pitch changes and silences, and where the held pitch
    is played again (``repeats.run_starts``)."""
    min_frames = max(1, int(round(config.min_note_ms / 1000 * FRAME_RATE)))
    change = np.flatnonzero(np.diff(path)) + 1
    bounds = np.concatenate([[0], change, [len(path)]])
    notes = []
    for a, b in zip(bounds[:-1], bounds[1:]):
        col = int(path[a])
        if col < 0:
            continue
        starts = run_starts(int(a), int(b), ev.onset[:, col], col + ev.lowest, feats, config)
        for s, e in zip(starts, starts[1:] + [int(b)]):
            if e - s >= min_frames and np.median(ev.note[s:e, col]) >= config.note_support:
                notes.append((s, e, col + ev.lowest))
    return _without_overlaps(notes)


def _without_overlaps(notes: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """A line plays one note at a time: a note ends where the next one starts."""
    out = []
    for (s, e, p), nxt in zip(notes, notes[1:] + [None]):
        out.append((s, min(e, nxt[0]) if nxt is not None else e, p))
    return [n for n in out if n[1] > n[0]]
