"""Settings of the control extractors, with their documented defaults.

The defaults follow Music ControlNet (44.1 kHz, 512-sample frames, chroma of
the signal high-passed at middle C, ~1 s Savitzky-Golay smoothed mel energy,
beats and downbeats from madmom's RNN downbeat tracker).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

BeatTracker = Literal["auto", "madmom", "librosa"]


@dataclass(frozen=True)
class ControlsConfig:
    """How controls are read from audio and from notes.

    Spectral analysis (audio):
      n_fft: STFT window in samples at 44.1 kHz for chroma and mel energy
        (4096 = 93 ms; resolves semitones from middle C up).
      highpass_hz / highpass_order: Butterworth high-pass applied (as its
        magnitude response) before the chroma; 261.63 Hz is middle C.
      n_mels: mel bands whose summed power is the dynamics energy.
      melody_silence_db: a frame whose high-passed power is this far below the
        loudest frame's (dB) has no melody (NaN).
      silence_dbfs: a frame quieter than this absolute level (dB full scale)
        has no melody either.
    Dynamics (audio and notes):
      dynamics_floor_db: lowest dynamics value, relative to the loudest frame.
      dynamics_smoothing_s / dynamics_polyorder: Savitzky-Golay window
        (seconds) and polynomial order (1: no overshoot at sudden changes;
        2 overshoots by ~1 dB).
    Onset density ("rhythm" lane):
      onset_delta: peak-picking threshold on the normalised onset envelope.
      onset_min_gap_s: two onsets closer than this count once.
      density_window_s: length (seconds) of the Hann window over which onsets
        per second are counted; its effective width is half that, and a
        steady train of one onset per second reads exactly 1.
    Beats:
      beat_tracker: "madmom" (RNN downbeat tracker + DBN, Music ControlNet's
        choice), "librosa" (spectral flux + dynamic programming; no downbeat
        model, bars guessed from accents), or "auto" (madmom when it imports).
      beats_per_bar: bar lengths the downbeat tracker may choose between.
      min_bpm / max_bpm: tempo range of the beat tracker.
      rnn_networks: how many of madmom's 8 ensemble networks to run (1-8);
        fewer is faster and slightly less accurate.
    Streaming:
      block_seconds: audio is processed in blocks of this length, so memory
        stays bounded whatever the input length.
    Notes:
      velocity_exponent: a note of velocity v sounds at (v/127)**exponent of
        full amplitude (2 = the GM curve the renderer uses: velocity 64 is
        -12 dB).
      drum_min_duration_s: drum hits count as sounding at least this long.
    """

    n_fft: int = 4096
    highpass_hz: float = 261.63
    highpass_order: int = 2
    n_mels: int = 128
    melody_silence_db: float = -50.0
    silence_dbfs: float = -80.0
    dynamics_floor_db: float = -80.0
    dynamics_smoothing_s: float = 1.0
    dynamics_polyorder: int = 1
    onset_delta: float = 0.07
    onset_min_gap_s: float = 0.03
    density_window_s: float = 2.0
    beat_tracker: BeatTracker = "auto"
    beats_per_bar: tuple[int, ...] = (3, 4)
    min_bpm: float = 55.0
    max_bpm: float = 215.0
    rnn_networks: int = 8
    block_seconds: float = 30.0
    velocity_exponent: float = 2.0
    drum_min_duration_s: float = 0.1

    def __post_init__(self) -> None:
        if self.n_fft < 512 or self.n_fft & (self.n_fft - 1):
            raise ValueError("n_fft must be a power of two of at least 512")
        if not 1 <= self.rnn_networks <= 8:
            raise ValueError("rnn_networks must be between 1 and 8")
        if self.beat_tracker not in ("auto", "madmom", "librosa"):
            raise ValueError(f"unknown beat tracker {self.beat_tracker!r}")
        if not self.beats_per_bar or min(self.beats_per_bar) < 2:
            raise ValueError("beats_per_bar needs bar lengths of at least 2 beats")
        if self.dynamics_floor_db >= 0:
            raise ValueError("dynamics_floor_db must be negative")
        if self.block_seconds < 1.0:
            raise ValueError("block_seconds must be at least 1 second")


@dataclass(frozen=True)
class TimingConfig:
    """How a recording's grid (tempo, meter, first downbeat) and key are read off its beats.

      max_quarter_bpm: tracked beats faster than this are taken as eighth notes and the
        tempo halved: the tempo is named within one octave below this number, as a DAW's
        tempo detection picks from a range (164: music at 82-164 quarter notes a minute
        reads as itself; a slow song whose eighth notes the tracker follows reads right).
      min_beats: fewer tracked beats than this (a few seconds of music, or none) give no
        grid at all.
      fit_tolerance: beats further than this share of a beat from the fitted tempo line
        (a dropped or doubled beat) are left out of the fit.
      key_margin: a key is only named when its profile correlates better than the
        runner-up's by this much (on rendered band songs 0.06 kept 37 of 40 keys, 36 right).
    """

    max_quarter_bpm: float = 164.0
    min_beats: int = 8
    fit_tolerance: float = 0.1
    key_margin: float = 0.06

    def __post_init__(self) -> None:
        if self.max_quarter_bpm <= 0 or self.min_beats < 3:
            raise ValueError("max_quarter_bpm must be positive and min_beats at least 3")
