"""Which kind of part a stem holds — melody, bass, drums or poly — read off the network's
posteriors and the signal's loudness, with the reason in words.

Over the frames that sound (loudness within ``active_db`` of the loudest frame):
``pitched`` is the share where some pitch is likely (note posterior >= 0.5);
``polyphony`` the share of pitched frames with a second likely pitch that is not
an octave, twelfth or double octave above the lowest (harmonics the network
sometimes also hears); ``median_pitch`` the median of the likeliest pitch over
pitched frames. Little pitch -> drums; much polyphony -> poly; a low line -> bass;
else melody.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engines.transcribe.features import Features
from engines.transcribe.nmp import LOWEST_PITCH, Posteriors

KINDS = ("melody", "bass", "drums", "poly")
"""The kinds of part the transcriber knows."""
HARMONIC_STEPS = (12, 19, 24)
"""Semitones above the lowest likely pitch that count as its harmonics, not a second voice."""


@dataclass(frozen=True)
class KindConfig:
    """Thresholds of the kind chooser (see the module docstring).

    active_db: frames within this many dB of the loudest count as sounding.
    min_pitched: below this share of pitched frames, the part is drums.
    min_polyphony: at or above this share of polyphonic frames, the part is poly.
    max_bass_pitch: a line whose median pitch is below this MIDI pitch is bass.
    """

    active_db: float = 30.0
    min_pitched: float = 0.35
    min_polyphony: float = 0.3
    max_bass_pitch: float = 52.0


@dataclass(frozen=True)
class KindEvidence:
    """What the chooser looked at: shares in [0, 1], ``median_pitch`` a MIDI pitch (0 when
    nothing is pitched), ``active`` the number of sounding frames."""

    pitched: float
    polyphony: float
    median_pitch: float
    active: int


def kind_evidence(post: Posteriors, feats: Features, config: KindConfig = KindConfig()) -> KindEvidence:
    """The shares and register of ``post`` over the frames that sound in ``feats``."""
    n = min(post.n_frames, len(feats.loudness))
    if n == 0:
        return KindEvidence(0.0, 0.0, 0.0, 0)
    loud = feats.loudness[:n]
    active = loud >= loud.max() - config.active_db
    likely = post.note[:n] >= 0.5
    pitched = active & likely.any(axis=1)
    if not pitched.any():
        return KindEvidence(0.0, 0.0, 0.0, int(active.sum()))
    rows = likely[pitched]
    lowest = rows.argmax(axis=1)
    others = rows.copy()
    others[np.arange(len(rows)), lowest] = False
    for step in HARMONIC_STEPS:
        idx = lowest + step
        ok = idx < rows.shape[1]
        others[np.flatnonzero(ok), idx[ok]] = False
    top = post.note[:n][pitched].argmax(axis=1) + LOWEST_PITCH
    return KindEvidence(pitched=float(pitched.sum() / active.sum()),
                        polyphony=float(others.any(axis=1).mean()),
                        median_pitch=float(np.median(top)), active=int(active.sum()))


def choose_kind(evidence: KindEvidence, config: KindConfig = KindConfig()) -> tuple[str, str]:
    """(kind, reason): one of ``KINDS`` and a short sentence saying why."""
    if evidence.active == 0:
        return "melody", "the audio is silent"
    if evidence.pitched < config.min_pitched:
        return "drums", f"only {evidence.pitched:.0%} of the sounding audio has a pitch"
    if evidence.polyphony >= config.min_polyphony:
        return "poly", f"{evidence.polyphony:.0%} of the pitched audio has several notes at once"
    register = f"one note at a time around MIDI {evidence.median_pitch:.0f}"
    if evidence.median_pitch < config.max_bass_pitch:
        return "bass", f"{register} (low)"
    return "melody", register
