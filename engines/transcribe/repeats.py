"""Where a held pitch of a line is played again: the note starts inside one run of the
single-line Viterbi path.

Three kinds of evidence, strongest first: a clear onset-posterior peak on the
pitch; a middling peak where the pitch's harmonics also dip (a legato repeat
on a soft attack); and, with no peak at all, a dip and rise of the harmonics
and the loudness (``reattacks``): shallow for a legato repeat, which starts
where the level began to fall, deep for a gap between notes, which starts
where the level rises again.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from engines.transcribe.features import Features, harmonic_db
from engines.transcribe.nmp import FRAME_RATE

if TYPE_CHECKING:
    from engines.transcribe.mono import MonoConfig


def _frames(ms: float) -> int:
    return int(round(ms / 1000 * FRAME_RATE))


def run_starts(a: int, b: int, onset: np.ndarray, pitch: int, feats: Features, config: "MonoConfig") -> list[int]:
    """Note starts (frames, ascending) in the run [a, b) of MIDI ``pitch`` whose onset posterior
    is ``onset`` (float (n_frames,)); the first start may move a little before ``a`` onto a peak."""
    from scipy.signal import argrelmax

    min_frames = max(1, _frames(config.min_note_ms))
    gap = max(min_frames, _frames(config.split_gap_ms))
    lead = _frames(config.lead_ms)
    peaks = [int(p) for p in argrelmax(onset)[0] if a - config.snap_frames <= p < b - min_frames]
    starts: list[int] = []
    for p in peaks:
        if onset[p] >= config.onset_threshold and (not starts or p - starts[-1] >= gap):
            starts.append(p)
    if not starts or starts[0] > a + lead:
        weak = [p for p in peaks if p <= a + lead and onset[p] >= config.start_threshold]
        first = max(weak, key=lambda p: onset[p]) if weak else a
        if not starts or starts[0] - first >= gap:
            starts.insert(0, first)
    env = harmonic_db(feats.spectrum, pitch, starts[0], b)
    starts = _soft_repeats(starts, peaks, onset, env, gap, config)
    return _with_reattacks(starts, onset, env, feats, b, gap, min_frames, config)


def _soft_repeats(starts: list[int], peaks: list[int], onset: np.ndarray, env: np.ndarray, gap: int,
                  config: "MonoConfig") -> list[int]:
    """``starts`` plus middling onset peaks (``soft_onset``) where the harmonics (``env``, dB from
    ``starts[0]``) dip by ``soft_dip_db`` just before or at the peak."""
    first, merged = starts[0], list(starts)
    for p in peaks:
        k = p - first
        if k < 4 or onset[p] < config.soft_onset or any(abs(p - s) < gap for s in merged):
            continue
        before = env[max(0, k - 10):k - 3]
        around = env[k - 4:min(len(env), k + 3)]
        if before.size and around.size and before.max() - around.min() >= config.soft_dip_db:
            merged.append(p)
    return sorted(merged)


def _with_reattacks(starts: list[int], onset: np.ndarray, env: np.ndarray, feats: Features, stop: int, gap: int,
                    min_frames: int, config: "MonoConfig") -> list[int]:
    """``starts`` plus the frames in (starts[0], stop) where the pitch is played again without
    an onset peak: its harmonics (``env``, dB from ``starts[0]``) and the loudness dip and come
    back (``reattacks``) and the onset posterior at least stirs there."""
    first = starts[0]
    window = _frames(config.reattack_window_ms)
    merged = list(starts)
    for fall, low, drop in reattacks(env, drop_db=config.reattack_drop_db, rise_db=config.reattack_rise_db,
                                     window=window):
        deep = drop >= config.reattack_gap_db
        if config.reattack_max_drop_db <= drop < config.reattack_gap_db:
            continue
        frame, bottom = first + (low if deep else fall), first + low
        if frame >= stop - min_frames or any(frame - gap <= s <= bottom + window for s in merged):
            continue
        loud = feats.loudness[max(first, bottom - window):bottom + 1]
        stir = onset[max(0, first + fall - 3):bottom + 4].max()
        if loud.max() - loud[-1] >= config.reattack_loudness_db and stir >= config.reattack_onset:
            merged.append(frame)
    return sorted(merged)


def reattacks(env: np.ndarray, *, drop_db: float, rise_db: float, window: int) -> list[tuple[int, int, float]]:
    """(fall, bottom, drop) of each dip of ``env`` (float dB per frame) where a level that fell by
    at least ``drop_db`` within ``window`` frames rises again by at least ``rise_db`` within
    ``window`` frames: ``fall`` is where the fall began (the last frame within 1.5 dB of the level
    before it), ``bottom`` its lowest frame, ``drop`` how far it fell (dB)."""
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
        drop = float(before.max() - smooth[m])
        if drop < drop_db:
            continue
        top = max(0, m - window) + int(np.argmax(before))
        fall = top + int(np.flatnonzero(smooth[top:m + 1] >= smooth[top] - 1.5)[-1])
        out.append((fall, int(m), drop))
    return out
