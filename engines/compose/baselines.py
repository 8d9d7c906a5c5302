"""Baselines for one-voice infilling, scored like the model: joint NLL per step.

A voice is a sequence of cell states ``s = 2 * pitch + onset`` (pitch 0-128,
128 = rest, whose onset is 0). Each baseline gives the probability of every
state at every step, knowing the voice's own past (the n-gram) or nothing
(uniform, histogram); the score of a voice is the mean of -log p(true state)
over its steps, in nats, and the accuracy is how often the most likely state
is the true one.
"""
from __future__ import annotations

from collections import defaultdict

import numpy as np

from engines.compose.grid import REST

N_STATES = 2 * (REST + 1)


def states(pitch: np.ndarray, onset: np.ndarray) -> np.ndarray:
    """Cell states of one voice: int64 (T,) from pitch uint8 (T,), onset bool (T,)."""
    p = pitch.astype(np.int64)
    return 2 * p + (onset & (p != REST))


class Uniform:
    """Every pitch in [lo, hi] and the rest equally likely; onset a coin toss."""

    def __init__(self, lo: int, hi: int) -> None:
        self.table = np.zeros(N_STATES)
        n = hi - lo + 2
        self.table[2 * np.arange(lo, hi + 1)] = 0.5 / n
        self.table[2 * np.arange(lo, hi + 1) + 1] = 0.5 / n
        self.table[2 * REST] = 1.0 / n

    def probs(self, seq: np.ndarray) -> np.ndarray:
        """float (T, N_STATES) for a state sequence int (T,)."""
        return np.broadcast_to(self.table, (len(seq), N_STATES))


class Histogram:
    """How often each state occurs in the training voices (add-0.5 smoothing)."""

    def __init__(self, voices: list[np.ndarray]) -> None:
        counts = np.bincount(np.concatenate(voices), minlength=N_STATES).astype(np.float64) + 0.5
        self.table = counts / counts.sum()

    def probs(self, seq: np.ndarray) -> np.ndarray:
        return np.broadcast_to(self.table, (len(seq), N_STATES))


class NGram:
    """An interpolated (Witten-Bell) Markov model of order ``order`` over cell states."""

    def __init__(self, voices: list[np.ndarray], order: int = 3) -> None:
        self.order = order
        self.counts: list[dict[tuple, np.ndarray]] = [defaultdict(lambda: np.zeros(N_STATES)) for _ in range(order)]
        for seq in voices:
            padded = np.concatenate([np.full(order - 1, 2 * REST), seq])
            for t in range(order - 1, len(padded)):
                for n in range(order):
                    self.counts[n][tuple(padded[t - n:t])][padded[t]] += 1
        self.unigram = (self.counts[0][()] + 0.5) / (self.counts[0][()] + 0.5).sum()

    def _p(self, history: tuple) -> np.ndarray:
        p = self.unigram
        for n in range(1, self.order):
            c = self.counts[n].get(history[len(history) - n:])
            if c is None:
                continue
            total, types = c.sum(), (c > 0).sum()
            lam = total / (total + types)
            p = lam * c / total + (1 - lam) * p
        return p

    def probs(self, seq: np.ndarray) -> np.ndarray:
        padded = np.concatenate([np.full(self.order - 1, 2 * REST), seq])
        return np.stack([self._p(tuple(padded[t - self.order + 1:t])) for t in range(self.order - 1, len(padded))])


def score(probs: np.ndarray, seq: np.ndarray) -> tuple[float, int, int]:
    """(sum of -log p of the true states in nats, correct argmax count, steps)."""
    p = probs[np.arange(len(seq)), seq]
    return float(-np.log(np.maximum(p, 1e-12)).sum()), int((probs.argmax(1) == seq).sum()), len(seq)


def transposed(voices: list[tuple[np.ndarray, np.ndarray]], shift: int) -> list[np.ndarray]:
    """State sequences of (pitch, onset) voices moved by ``shift`` semitones."""
    out = []
    for pitch, onset in voices:
        p = np.where(pitch == REST, REST, np.clip(pitch.astype(np.int64) + shift, 0, 127))
        out.append(states(p, onset))
    return out
