"""Bar lines over tracked beats: where each bar starts (downbeats).

Four votes per beat are averaged: madmom's bar-tracking networks (Krebs et
al. 2016: GRUs over beat-synchronous percussive and harmonic features), the
downbeat probability of the joint beat/downbeat network, and how much the
harmony changes at the beat (chroma of the beat before vs after); a small
Viterbi decoder over beats then picks the bar length and phase. On rendered multitrack music this
finds the bar phase where the joint network alone is off by half a bar (see
tests/bench/bench_controls_beats.py). Unlike madmom's bar DBN, whose
observation model strongly favours short bars, the decoder weighs each beat by
its log odds against a base rate, so 2-beat bars (6/8 counted in dotted
quarters) can be allowed through ``beats_per_bar``.
"""
from __future__ import annotations

import warnings

import numpy as np

from engines.controls.madmom_compat import import_madmom

_FPS = 100
VOTE_WEIGHTS = {"percussive": 1.0, "harmonic": 0.5, "joint": 1.0, "chord_change": 1.5}
"""How much each cue counts. Chosen on tests/bench/bench_controls_beats.py's
pieces (both renderers): any weight from 0 to 0.5 for the harmonic network and
1.5 to 2 for chord change gave the same, best, downbeat F1 there; equal weights
lose pieces whose drums accent beat 3 or whose harmonic network picks beat 2."""


def beat_downbeat_probability(beats: np.ndarray, activations: np.ndarray) -> np.ndarray:
    """Per beat, the joint network's share of downbeat in its activation peak.

    beats: seconds. activations: (T, 2) float32 at 100 fps (beat, downbeat).
    Returns float64 (len(beats),) in [0, 1], read at the strongest frame
    within 30 ms of each beat.
    """
    total = activations.sum(axis=1)
    out = np.zeros(len(beats))
    for i, beat in enumerate(beats):
        centre = int(round(beat * _FPS))
        lo, hi = max(0, centre - 3), min(len(total), centre + 4)
        if lo >= hi:
            continue
        k = lo + int(np.argmax(total[lo:hi]))
        out[i] = activations[k, 1] / max(float(total[k]), 1e-9)
    return out


def chord_change(beat_chroma: np.ndarray) -> np.ndarray:
    """How much the harmony changes at each beat, scaled to [0, 1].

    beat_chroma: (beats - 1, subdivisions, 12) beat-synchronous chroma, row i
    covering beat i to beat i + 1. The change at beat i is the cosine distance
    between rows i - 1 and i, divided by its 95th percentile over the piece.
    """
    segments = beat_chroma.mean(axis=1)
    segments = segments / np.maximum(np.linalg.norm(segments, axis=1, keepdims=True), 1e-9)
    change = np.zeros(len(segments))
    if len(segments) > 1:
        change[1:] = 1.0 - np.sum(segments[1:] * segments[:-1], axis=1)
        change[0] = np.median(change[1:])
    scale = float(np.percentile(change, 95)) if len(change) else 0.0
    return np.clip(change / (scale + 1e-9), 0.0, 1.0)


class BarTracker:
    """Downbeats from beats plus 100 fps percussive features and chroma."""

    def __init__(self, beats_per_bar: tuple[int, ...]) -> None:
        import_madmom()
        from madmom.ml.nn import NeuralNetworkEnsemble
        from madmom.models import DOWNBEATS_BGRU

        with warnings.catch_warnings():  # madmom asks to re-save its own old GRU files
            warnings.filterwarnings("ignore", message="Please update your GRU models")
            self.percussive_net = NeuralNetworkEnsemble.load(DOWNBEATS_BGRU[0])
            self.harmonic_net = NeuralNetworkEnsemble.load(DOWNBEATS_BGRU[1])
        self.beats_per_bar = tuple(beats_per_bar)

    def __call__(self, beats: np.ndarray, activations: np.ndarray, percussive: np.ndarray,
                 chroma: np.ndarray) -> np.ndarray:
        """Downbeat times (seconds, a subset of ``beats``).

        beats: float64 seconds. activations: (T, 2) joint network output;
        percussive: (T, 6-band diff); chroma: (T, 12); all at 100 fps.
        """
        from madmom.features.downbeats import SyncronizeFeaturesProcessor

        if len(beats) < 3:
            return beats[:1].copy()
        beats = beats[beats < len(percussive) / _FPS]
        perc = SyncronizeFeaturesProcessor(4, fps=_FPS)((percussive, beats))
        harm = SyncronizeFeaturesProcessor(2, fps=_FPS)((chroma, beats))
        votes = {"percussive": self.percussive_net(perc.reshape(len(perc), -1)),
                 "harmonic": self.harmonic_net(harm.reshape(len(harm), -1)),
                 "joint": beat_downbeat_probability(beats, activations)[:-1],
                 "chord_change": chord_change(harm)}
        probability = np.asarray(sum(VOTE_WEIGHTS[k] * np.reshape(v, -1) for k, v in votes.items()),
                                 dtype=np.float64)
        probability /= sum(VOTE_WEIGHTS.values())
        # The last beat has no following beat to sync features to; give it the
        # base rate so the bar pattern alone decides it.
        starts = decode_bars(np.append(probability, 0.25), self.beats_per_bar)
        return beats[starts].astype(np.float64)


def decode_bars(probability: np.ndarray, bar_lengths: tuple[int, ...], *,
                prior: float = 0.25, switch: float = 1e-4) -> np.ndarray:
    """Viterbi over beats: which beats start bars, for bars of ``bar_lengths`` beats.

    probability: per beat, the probability that it is a downbeat. A beat's
    evidence for starting a bar is its log odds against ``prior``; a bar may
    change length or restart (a dropped beat) with probability ``switch``.
    Returns a bool array (len(probability),).
    """
    p = np.clip(np.asarray(probability, dtype=np.float64), 1e-4, 1 - 1e-4)
    evidence = np.log(p / (1 - p)) - np.log(prior / (1 - prior))
    states = [(length, pos) for length in bar_lengths for pos in range(length)]
    starts = np.array([pos == 0 for _, pos in states])
    nxt = np.array([states.index((length, (pos + 1) % length)) for length, pos in states])
    stay, jump = np.log1p(-switch), np.log(switch)
    score = np.where(starts, evidence[0] if len(p) else 0.0, 0.0)
    back = np.zeros((len(p), len(states)), dtype=np.int64)
    for k in range(1, len(p)):
        cycled = np.full(len(states), -np.inf)
        cycled[nxt] = score + stay
        src = np.arange(len(states))
        from_cycle = np.empty(len(states), dtype=np.int64)
        from_cycle[nxt] = src
        best = int(np.argmax(score))
        restart = np.where(starts, score[best] + jump, -np.inf)
        use_restart = restart > cycled
        back[k] = np.where(use_restart, best, from_cycle)
        score = np.maximum(cycled, restart) + np.where(starts, evidence[k], 0.0)
    path = np.zeros(len(p), dtype=np.int64)
    if len(p):
        path[-1] = int(np.argmax(score))
        for k in range(len(p) - 1, 0, -1):
            path[k - 1] = back[k, path[k]]
    return starts[path]
