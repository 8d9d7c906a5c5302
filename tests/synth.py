"""A tiny synthesiser for tests and benchmarks: notes -> audio with known content.

Pitched notes are additive harmonic tones with an attack/decay envelope
(``timbre`` picks the harmonic roll-off and decay); drum notes (GM kit
pitches) are a swept-sine kick, a noise+tone snare and a noise hi-hat. Used
until the real renderer (engines/render) replaces it in benchmarks.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engines.common import Note

KICK, SNARE, HIHAT, OPEN_HAT, CRASH = 36, 38, 42, 46, 49


@dataclass(frozen=True)
class Timbre:
    """harmonics: partial count; rolloff: amplitude of partial k is k**-rolloff;
    decay: seconds for the amplitude to fall by 1/e (0 = sustained)."""

    harmonics: int = 6
    rolloff: float = 1.5
    decay: float = 0.8


PIANO = Timbre(8, 1.3, 0.7)
PAD = Timbre(4, 2.0, 0.0)
PLUCK = Timbre(10, 1.0, 0.25)
BASS = Timbre(5, 1.8, 0.6)


def _envelope(n: int, sr: int, decay: float) -> np.ndarray:
    t = np.arange(n) / sr
    env = np.minimum(1.0, t / 0.005)
    if decay > 0:
        env *= np.exp(-t / decay)
    release = min(n, int(0.02 * sr))
    env[n - release:] *= np.linspace(1.0, 0.0, release)
    return env


def tone(pitch: int, seconds: float, sr: int, timbre: Timbre) -> np.ndarray:
    """One pitched note (float64, peak about 1) of ``seconds``."""
    n = max(1, int(seconds * sr))
    t = np.arange(n) / sr
    f0 = 440.0 * 2 ** ((pitch - 69) / 12)
    out = np.zeros(n)
    for k in range(1, timbre.harmonics + 1):
        if k * f0 < sr / 2:
            out += k ** -timbre.rolloff * np.sin(2 * np.pi * k * f0 * t)
    return out * _envelope(n, sr, timbre.decay) / 1.5


def drum(pitch: int, sr: int, rng: np.random.Generator) -> np.ndarray:
    """One drum hit for a GM kit pitch (kick, snare, hats, crash; others click)."""
    if pitch in (35, KICK):
        t = np.arange(int(0.35 * sr)) / sr
        phase = 2 * np.pi * (50 * t + 60 * 0.04 * (1 - np.exp(-t / 0.04)))
        return 1.2 * np.sin(phase) * np.exp(-t / 0.12)
    if pitch in (SNARE, 40):
        t = np.arange(int(0.25 * sr)) / sr
        body = 0.5 * np.sin(2 * np.pi * 190 * t) * np.exp(-t / 0.05)
        return body + 0.6 * rng.standard_normal(len(t)) * np.exp(-t / 0.07)
    length, decay = {OPEN_HAT: (0.3, 0.12), CRASH: (1.0, 0.5)}.get(pitch, (0.08, 0.02))
    t = np.arange(int(length * sr)) / sr
    noise = np.diff(rng.standard_normal(len(t) + 1))
    return 0.25 * noise * np.exp(-t / decay)


def render(notes: list[Note], sr: int, seconds: float, *, timbre: Timbre = PIANO,
           drums: bool = False, gain: float = 0.3, seed: int = 0) -> np.ndarray:
    """Mono float32 (n,) of ``seconds`` with every note; velocity scales as (v/127)**2."""
    rng = np.random.default_rng(seed)
    out = np.zeros(int(seconds * sr) + 1)
    for note in notes:
        start = int(note.start * sr)
        if start >= len(out):
            continue
        sound = drum(note.pitch, sr, rng) if drums else tone(note.pitch, note.duration, sr, timbre)
        sound = sound[: len(out) - start] * gain * (note.velocity / 127.0) ** 2
        out[start: start + len(sound)] += sound
    return out.astype(np.float32)


def mix(tracks: list[np.ndarray], *, peak: float = 0.9) -> np.ndarray:
    """Sum equal-rate mono tracks (zero-padded) and scale the peak to ``peak``."""
    n = max(len(t) for t in tracks)
    out = np.zeros(n, dtype=np.float64)
    for t in tracks:
        out[: len(t)] += t
    top = float(np.max(np.abs(out))) or 1.0
    return (out * peak / top).astype(np.float32)
