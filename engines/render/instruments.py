"""GM program -> instrument family -> the patch the built-in synthesiser plays.

A patch is a recipe, not samples: two harmonic spectra (dark and bright) that
the voice cross-fades by velocity and over time, an amplitude envelope, and
performance habits (vibrato, ensemble detune, drive, tremolo, onset click).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def spectrum(slope: float, n: int = 48, *, even: float = 1.0, strike: int = 0,
             lowpass_k: float = 0.0) -> tuple[float, ...]:
    """Harmonic amplitudes 1..n: ``k ** -slope``, even harmonics scaled by ``even``.

    strike: a plucking/striking point 1/strike along the string notches every
    strike-th harmonic (0 = none). lowpass_k: a gentle roll-off above that
    harmonic (0 = none).
    """
    k = np.arange(1, n + 1, dtype=np.float64)
    amps = k ** -slope
    amps[1::2] *= even
    if strike:
        amps *= 0.15 + 0.85 * np.abs(np.sin(np.pi * k / strike))
    if lowpass_k:
        amps /= np.sqrt(1.0 + (k / lowpass_k) ** 4)
    return tuple(float(a) for a in amps)


@dataclass(frozen=True)
class Patch:
    """A built-in instrument. Times in seconds, levels 0..1, detune/vibrato in cents.

    dark, bright: harmonic amplitudes (fundamental first) at brightness 0 and 1.
    percussive: the note decays while held (piano, guitar) with a two-stage
        decay: ``fast_share`` of the level dies with ``t60_fast``, the rest with
        ``t60``, both at middle C and halving every two octaves up.
    attack, decay, sustain: ADSR for non-percussive patches; release for all.
    bright_base: brightness at velocity 64; vel_brightness: its change across
        velocity 0..127. bright_start, bright_time: brightness starts at
        ``bright_start`` times the velocity brightness and moves to it with that
        time constant (a plucked string darkens, brass opens up).
    vibrato_cents, vibrato_rate, vibrato_delay: vibrato on notes held longer
        than ``vibrato_delay + 0.2`` s. detune_cents: two extra voices this far
        either side, panned left and right (ensembles, pads).
    drive: tanh saturation amount (0 = clean). tremolo: amplitude wobble depth
        at 6 Hz (organ). click: level of a short noise burst at the onset.
    dark_hz, bright_hz: a 12 dB/octave body roll-off above these frequencies
        (Hz) for the dark and bright spectra (0 = none), so high notes do not
        turn shrill: the instrument's body, not the harmonic number, sets the tone.
    """

    name: str
    dark: tuple[float, ...]
    bright: tuple[float, ...]
    percussive: bool = False
    t60: float = 4.0
    t60_fast: float = 0.6
    fast_share: float = 0.5
    attack: float = 0.005
    decay: float = 0.2
    sustain: float = 0.8
    release: float = 0.15
    bright_base: float = 0.5
    vel_brightness: float = 0.6
    bright_start: float = 1.0
    bright_time: float = 0.3
    vibrato_cents: float = 0.0
    vibrato_rate: float = 5.5
    vibrato_delay: float = 0.3
    detune_cents: float = 0.0
    drive: float = 0.0
    tremolo: float = 0.0
    click: float = 0.0
    dark_hz: float = 0.0
    bright_hz: float = 0.0


PIANO = Patch("piano", spectrum(2.4, 40, strike=7), spectrum(1.2, 40, strike=7),
              percussive=True, t60=7.0, t60_fast=0.9, fast_share=0.6, attack=0.002,
              release=0.25, bright_base=0.45, vel_brightness=0.9, bright_start=1.6,
              bright_time=0.5, click=0.05,
              dark_hz=1800.0, bright_hz=7000.0)
EPIANO = Patch("electric piano", spectrum(3.0, 16, even=1.4), spectrum(1.6, 24, even=1.2),
               percussive=True, t60=4.0, t60_fast=0.5, fast_share=0.4, attack=0.002,
               release=0.2, bright_base=0.35, vel_brightness=0.9, bright_start=2.0,
               bright_time=0.15, tremolo=0.08,
               dark_hz=1500.0, bright_hz=5000.0)
MALLET = Patch("mallet", (1.0, 0.0, 0.0, 0.25, 0.0, 0.0, 0.0, 0.0, 0.0, 0.08),
               (1.0, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.25),
               percussive=True, t60=2.2, t60_fast=0.25, fast_share=0.5, attack=0.001,
               release=0.3, bright_start=2.0, bright_time=0.08, click=0.03)
ORGAN = Patch("organ", (1.0, 0.8, 0.5, 0.35, 0.0, 0.25, 0.0, 0.2),
              (1.0, 0.9, 0.7, 0.6, 0.0, 0.45, 0.0, 0.4, 0.0, 0.0, 0.0, 0.2),
              attack=0.008, decay=0.05, sustain=1.0, release=0.06, tremolo=0.12,
              vel_brightness=0.3)
GUITAR = Patch("guitar", spectrum(2.3, 40, strike=5), spectrum(1.1, 40, strike=5),
               percussive=True, t60=3.0, t60_fast=0.35, fast_share=0.5, attack=0.001,
               release=0.12, bright_base=0.55, vel_brightness=0.8, bright_start=1.8,
               bright_time=0.12, click=0.06,
               dark_hz=2000.0, bright_hz=7000.0)
DIST_GUITAR = Patch("distortion guitar", spectrum(1.6, 40), spectrum(1.0, 48),
                    attack=0.003, decay=0.4, sustain=0.75, release=0.1, bright_base=0.6,
                    drive=3.5, vibrato_cents=12.0, vibrato_delay=0.45,
                    dark_hz=2200.0, bright_hz=4500.0)
BASS = Patch("bass", spectrum(2.6, 24, strike=4), spectrum(1.6, 32, strike=4),
             percussive=True, t60=3.5, t60_fast=0.4, fast_share=0.35, attack=0.003,
             release=0.08, bright_base=0.4, vel_brightness=0.8, bright_start=1.5,
             bright_time=0.1, click=0.03,
             dark_hz=700.0, bright_hz=3000.0)
SYNTH_BASS = Patch("synth bass", spectrum(2.2, 32), spectrum(1.0, 40), attack=0.003,
                   decay=0.25, sustain=0.7, release=0.06, bright_base=0.5,
                   bright_start=2.0, bright_time=0.08, drive=1.2,
                   dark_hz=500.0, bright_hz=3500.0)
STRINGS = Patch("strings", spectrum(1.9, 40, lowpass_k=12), spectrum(1.2, 40, lowpass_k=18),
                attack=0.12, decay=0.3, sustain=0.9, release=0.35, bright_base=0.45,
                vibrato_cents=14.0, vibrato_rate=5.4, vibrato_delay=0.25,
                dark_hz=2200.0, bright_hz=7000.0)
ENSEMBLE = Patch("string ensemble", STRINGS.dark, STRINGS.bright, attack=0.22, decay=0.4,
                 sustain=0.9, release=0.5, bright_base=0.4, vibrato_cents=9.0,
                 vibrato_rate=5.0, vibrato_delay=0.3, detune_cents=7.0,
                 dark_hz=2000.0, bright_hz=6500.0)
BRASS = Patch("brass", spectrum(2.3, 40), spectrum(1.05, 40), attack=0.04, decay=0.2,
              sustain=0.85, release=0.12, bright_base=0.5, vel_brightness=1.0,
              bright_start=0.3, bright_time=0.08, vibrato_cents=10.0, vibrato_delay=0.35,
              dark_hz=1200.0, bright_hz=5500.0)
REED = Patch("reed", spectrum(1.8, 32, even=0.35), spectrum(1.2, 40, even=0.5),
             attack=0.03, decay=0.2, sustain=0.85, release=0.1, bright_base=0.45,
             vibrato_cents=15.0, vibrato_rate=5.0, vibrato_delay=0.3,
             dark_hz=1600.0, bright_hz=5500.0)
FLUTE = Patch("flute", (1.0, 0.25, 0.08, 0.03), (1.0, 0.4, 0.18, 0.08, 0.04),
              attack=0.05, decay=0.2, sustain=0.9, release=0.12, vibrato_cents=12.0,
              vibrato_rate=5.2, vibrato_delay=0.25, click=0.02)
LEAD = Patch("synth lead", spectrum(1.6, 48), spectrum(1.0, 48), attack=0.01, decay=0.2,
             sustain=0.85, release=0.1, bright_base=0.55, vibrato_cents=18.0,
             vibrato_rate=5.8, vibrato_delay=0.3, drive=0.8,
             dark_hz=2500.0, bright_hz=9000.0)
PAD = Patch("pad", spectrum(2.6, 32), spectrum(1.6, 40), attack=0.35, decay=0.6,
            sustain=0.85, release=0.8, bright_base=0.35, vel_brightness=0.4,
            detune_cents=9.0,
            dark_hz=1000.0, bright_hz=4500.0)
CHOIR = Patch("choir", (0.8, 1.0, 0.6, 0.25, 0.12, 0.2, 0.15, 0.05),
              (0.7, 1.0, 0.8, 0.45, 0.3, 0.35, 0.3, 0.15, 0.1), attack=0.2, decay=0.4,
              sustain=0.9, release=0.45, vibrato_cents=10.0, vibrato_delay=0.3,
              detune_cents=6.0,
              dark_hz=1400.0, bright_hz=4000.0)

_RANGES: tuple[tuple[int, Patch], ...] = (
    (4, PIANO), (8, EPIANO), (16, MALLET), (24, ORGAN), (29, GUITAR), (32, DIST_GUITAR),
    (38, BASS), (40, SYNTH_BASS), (45, STRINGS), (46, GUITAR), (47, GUITAR), (48, BASS),
    (52, ENSEMBLE), (56, CHOIR), (64, BRASS), (72, REED), (80, FLUTE), (88, LEAD),
    (96, PAD), (104, PAD), (105, GUITAR), (109, GUITAR), (112, REED), (120, MALLET),
    (128, PAD),
)
"""(first program past the range, patch): GM families mapped to built-in patches."""

PATCHES: tuple[Patch, ...] = (PIANO, EPIANO, MALLET, ORGAN, GUITAR, DIST_GUITAR, BASS,
                              SYNTH_BASS, STRINGS, ENSEMBLE, BRASS, REED, FLUTE, LEAD,
                              PAD, CHOIR)
"""Every built-in pitched patch."""


def patch_for_program(program: int) -> Patch:
    """The built-in patch for GM ``program`` (0-127; out-of-range values clamp)."""
    program = min(max(int(program), 0), 127)
    for end, patch in _RANGES:
        if program < end:
            return patch
    return PAD


def representative_program(patch: Patch) -> int:
    """A GM program that plays ``patch`` (the first in its range)."""
    start = 0
    for end, candidate in _RANGES:
        if candidate is patch:
            return start
        start = end
    raise KeyError(patch.name)
