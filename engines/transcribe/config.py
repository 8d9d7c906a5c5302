"""The transcriber's settings: one decoder setting per kind of part, with documented defaults.

Where a default differs from the decoder's own, it was chosen on tuning
material (mma band grooves and Bach chorale lines rendered through
engines/render with FluidR3, TimGM6mb and the built-in synthesiser) that the
benchmark (tests/bench/bench_transcribe.py) does not use.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from engines.transcribe.drums import DrumConfig
from engines.transcribe.kinds import KindConfig
from engines.transcribe.mono import MonoConfig
from engines.transcribe.poly_notes import PolyConfig
from engines.transcribe.velocity import VelocityConfig

MELODY_RANGE = (36, 108)
"""MIDI pitches a melody line may take (C2-C8: voices, leads, flutes, low brass)."""
BASS_RANGE = (18, 67)
"""MIDI pitches a bass line may take (F#0-G4; below A0 only YIN hears them)."""


@dataclass(frozen=True)
class TranscribeConfig:
    """Settings per kind of part.

    melody, bass: the monophonic decoder (``mono.MonoConfig``) with each kind's pitch range;
        for bass, a dip of 14 dB is a gap between notes (basses have no tremolo, leads may),
        YIN helps hear the lowest notes (the network is unsure below about C1) and soft
        repeats are off (a bass's decay is no legato repeat).
    poly: the polyphonic decoder (``poly_notes.PolyConfig``: basic-pitch's note creation),
        with stricter thresholds than basic-pitch's (0.7 / 0.5 instead of 0.5 / 0.3).
    poly_attack_ms / poly_attack_rise_db: a poly note's start moves back, at most this far,
        to where its pitch's harmonics began to rise by this much
        (``features.attack_start``): the network finds slow attacks late.
    drums: onset detection and the drum classifier's threshold.
    kinds: how the kind is chosen when it is not given.
    velocity: how loudness becomes velocity.
    silence_dbfs: audio whose loudest frame is below this level (dBFS) is silence: no notes.
    """

    melody: MonoConfig = field(default_factory=lambda: MonoConfig(min_pitch=MELODY_RANGE[0],
                                                                  max_pitch=MELODY_RANGE[1]))
    bass: MonoConfig = field(default_factory=lambda: MonoConfig(min_pitch=BASS_RANGE[0], max_pitch=BASS_RANGE[1],
                                                                reattack_gap_db=14.0, yin_weight=0.5,
                                                                soft_onset=1.01))
    poly: PolyConfig = field(default_factory=lambda: PolyConfig(onset_threshold=0.7, frame_threshold=0.5))
    poly_attack_ms: float = 58.0
    poly_attack_rise_db: float = 1.5
    drums: DrumConfig = field(default_factory=DrumConfig)
    kinds: KindConfig = field(default_factory=KindConfig)
    velocity: VelocityConfig = field(default_factory=VelocityConfig)
    silence_dbfs: float = -60.0
